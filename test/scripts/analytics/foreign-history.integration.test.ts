import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeRepository,
  type AnalyticsReport,
} from "../../../scripts/analytics/index.js";
import { History, T0, lines } from "./history.js";

// A foreign swarm (no gitswarm trailers): free-text locks in current_tasks/, claims and releases as
// separate commits, releases folded into feature commits, a stale-lock cleanup. Hand count:
//  #   t     agent      class     lines coord  notes
//  1   0     claude-1   work       10    3     README 2, PROGRESS.md 3, src 5
//  2   60    claude-1   claim       1    1     parser_impl
//  3   120   codex-1    claim       1    1     btree
//  4   600   claude-1   work       30    0     (task parser_impl: its only open claim)
//  5   900   claude-1   release     1    1     parser_impl, hold 840
//  6   1000  gemini-1   claim       1    1     impl-parser (a near-duplicate name)
//  7   1500  codex-1    done       41    1     src 40 + lock; hold 1380, claim→done 1380
//  8   2000  codex-1    progress    3    3
//  9   2100  claude-2   claim       1    1     vm (author swarm-bot, Co-authored-by claude-2)
// 10   2200  claude-2   work       25    0
// 11   9000  codex-1    break       2    2     "Remove stale locks": impl-parser (8000), vm (6900)
// 12   9100  codex-1    claim       1    1     vm again
// 13   9500  codex-1    done       13    1     hold 400, claim→done 7400
// 14   9550  gemini-1   work        4    0     on a side branch
// 15   9600  gemini-1   merge       0    0
// 16   9700  claude-1   claim       1    1     parser_impl again, left open
let history: History;
const coAuthored = (subject: string) =>
  `${subject}\n\nCo-authored-by: claude-2 <claude-2@example.com>\n`;

beforeAll(async () => {
  const h = (history = await History.create());
  await h.commit({
    author: "claude-1",
    at: 0,
    message: "Initial commit",
    write: {
      "README.md": lines(2),
      "PROGRESS.md": lines(3, "task"),
      "src/main.rs": lines(5),
    },
  });
  await h.commit({
    author: "claude-1",
    at: 60,
    message: "Claim parser task",
    write: {
      "current_tasks/parser_impl.txt": "claude-1 is implementing the parser\n",
    },
  });
  await h.commit({
    author: "codex-1",
    at: 120,
    message: "lock: btree",
    write: { "current_tasks/btree.txt": "codex-1: btree pages\n" },
  });
  await h.commit({
    author: "claude-1",
    at: 600,
    message: "Implement parser",
    write: { "src/parser.rs": lines(30) },
  });
  await h.commit({
    author: "claude-1",
    at: 900,
    message: "Parser done, release lock",
    remove: ["current_tasks/parser_impl.txt"],
  });
  await h.commit({
    author: "gemini-1",
    at: 1000,
    message: "Claim impl-parser",
    write: { "current_tasks/impl-parser.txt": "gemini-1 takes the parser\n" },
  });
  await h.commit({
    author: "codex-1",
    at: 1500,
    message: "Add btree pages + release lock",
    write: { "src/btree.rs": lines(40) },
    remove: ["current_tasks/btree.txt"],
  });
  await h.commit({
    author: "codex-1",
    at: 2000,
    message: "Update PROGRESS.md",
    write: { "PROGRESS.md": "task 1\ntask 2 done\ntask 3\nbtree: done\n" },
  });
  await h.commit({
    author: "swarm-bot",
    at: 2100,
    message: coAuthored("Claim vm"),
    write: { "current_tasks/vm.txt": "vm opcodes\n" },
  });
  await h.commit({
    author: "swarm-bot",
    at: 2200,
    message: coAuthored("VM opcodes"),
    write: { "src/vm.rs": lines(25) },
  });
  await h.commit({
    author: "codex-1",
    at: 9000,
    message: "Remove stale locks",
    remove: ["current_tasks/impl-parser.txt", "current_tasks/vm.txt"],
  });
  await h.commit({
    author: "codex-1",
    at: 9100,
    message: "Claim vm",
    write: { "current_tasks/vm.txt": "codex-1 on vm\n" },
  });
  await h.commit({
    author: "codex-1",
    at: 9500,
    message: "Finish vm, drop lock",
    write: {
      "src/vm.rs":
        "op 1\nop 2\n" +
        lines(25).split("\n").slice(2).join("\n") +
        lines(8, "extra"),
    },
    remove: ["current_tasks/vm.txt"],
  });
  await h.checkout("docs", true);
  await h.commit({
    author: "gemini-1",
    at: 9550,
    message: "Notes",
    write: { "docs/notes.md": lines(4) },
  });
  await h.checkout("main");
  await h.merge("docs", {
    author: "gemini-1",
    at: 9600,
    message: "Merge branch 'docs'",
  });
  await h.commit({
    author: "claude-1",
    at: 9700,
    message: "claim: parser_impl",
    write: { "current_tasks/parser_impl.txt": "again\n" },
  });
});

afterAll(async () => history.dispose());

describe("analytics on a foreign swarm history", () => {
  let report: AnalyticsReport;
  beforeAll(async () => {
    report = await analyzeRepository({ repoDir: history.dir });
  });

  it("detects the lock folder and classifies by what each commit touched", () => {
    expect(report.locksDir).toEqual({
      path: "current_tasks",
      detected: true,
      source: "detected",
    });
    expect(report.native).toBe(false);
    const counts = Object.fromEntries(
      Object.entries(report.byClass)
        .filter(([, v]) => v.commits > 0)
        .map(([k, v]) => [k, v.commits]),
    );
    expect(counts).toEqual({
      work: 4,
      claim: 6,
      release: 1,
      done: 2,
      progress: 1,
      break: 1,
      merge: 1,
    });
  });

  it("matches the hand count of the tax", () => {
    expect(report.commits).toBe(16);
    expect(report.coordinationTax).toEqual({
      commitShare: 9 / 16,
      lineShare: 17 / 135,
    });
  });

  it("attributes commits to agents by author and co-author", () => {
    const rows = report.agents.map((a) => [
      a.agent,
      a.commits,
      a.coordinationCommits,
      a.substantiveCommits,
      a.claims,
      a.done,
    ]);
    expect(rows).toEqual([
      ["codex-1", 6, 4, 2, 2, 2],
      ["claude-1", 5, 3, 2, 2, 0],
      ["gemini-1", 3, 1, 1, 1, 0],
      ["claude-2", 2, 1, 1, 1, 0],
    ]);
  });

  it("pairs claims with releases, done commits and breaks", () => {
    expect(report.holdTimes).toMatchObject({
      count: 5,
      open: 1,
      p50: 1380,
      p90: 8000,
      max: 8000,
      mean: 3504,
      min: 400,
    });
    expect(report.claimToDone).toMatchObject({
      count: 2,
      p50: 1380,
      p90: 7400,
      max: 7400,
    });
    expect(report.breaks.count).toBe(2);
    expect(
      report.breaks.list.map((b) => [
        b.task,
        b.by,
        b.holder,
        b.heldFor,
        b.forced,
      ]),
    ).toEqual([
      ["impl-parser", "codex-1", "gemini-1", 8000, false],
      ["vm", "codex-1", "claude-2", 6900, false],
    ]);
  });

  it("finds duplicate and near-duplicate claims", () => {
    // claude-1 claiming parser_impl again after letting it go is a retry, not duplicate work.
    expect(report.duplicates.tasks.map((d) => [d.task, d.agents])).toEqual([
      ["vm", ["claude-2", "codex-1"]],
    ]);
    expect(report.duplicates.nearDuplicates).toEqual([
      {
        names: ["impl-parser", "parser_impl"],
        claims: 3,
        agents: ["claude-1", "gemini-1"],
        concurrentClaims: 0,
      },
    ]);
  });

  it("counts commits per task and buckets over time", () => {
    expect(report.commitsPerTask).toMatchObject({
      tasks: 4,
      mean: 2.75,
      p50: 2,
      max: 4,
    });
    expect(report.commitsPerTask.top.map((t) => [t.task, t.commits])).toEqual([
      ["parser_impl", 4],
      ["vm", 4],
      ["btree", 2],
      ["impl-parser", 1],
    ]);
    // A two-hour history: five-minute buckets, which add up to the hours.
    expect(report.overTime.bucket).toBe("5min");
    const hours = [0, 0, 0];
    for (const p of report.overTime.points) {
      const hour = Math.floor((Date.parse(p.start) / 1000 - T0) / 3600);
      hours[hour] = (hours[hour] ?? 0) + p.commits;
    }
    expect(hours).toEqual([10, 0, 6]);
  });

  it("uses --locks-dir when given, even where detection would disagree", async () => {
    const forced = await analyzeRepository({
      repoDir: history.dir,
      locksDir: "src/",
    });
    expect(forced.locksDir).toEqual({
      path: "src",
      detected: false,
      source: "option",
    });
    // Only src/parser.rs (#4) and src/vm.rs (#10) were created in commits touching nothing else.
    expect(forced.byClass.claim.commits).toBe(2);
  });
});
