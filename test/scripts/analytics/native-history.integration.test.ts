import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeRepository,
  type AnalyticsReport,
} from "../../../scripts/analytics/index.js";
import { History, T0, lines, swarmMessage } from "./history.js";

// A gitswarm history with known counts of every class. Line counts per commit (total / coordination):
//  #  t     who         class     lines  coord
//  1  0     Maintainer  init       4      3   PROGRESS.md (3) + README (1)
//  2  100   agent-a     claim      4      4   lexer, claim c1
//  3  200   agent-b     claim      4      4   parser, claim c2
//  4  700   agent-a     done      16      6   src 10 + lock 4 + PROGRESS 2; hold 600
//  5  900   agent-b     release    5      5   lock 4 + note 1; hold 700
//  6  1000  Alice       human      1      1   adds codegen to PROGRESS.md
//  7  1100  agent-c     claim      4      4   parser, claim c3
//  8  1200  agent-a     progress   1      1
//  9  5000  agent-b     break      4      4   parser c3, forced; hold 3900
// 10  5100  agent-b     claim      4      4   parser, claim c5
// 11  5200  agent-b     work      20      0
// 12  6000  agent-b     done      12      6   src 6 + lock 4 + PROGRESS 2; hold 900
// 13  6100  coalescer   coalesce   5      0
// 14  6200  agent-a     archive    2      2
// 15  6250  agent-c     claim      4      4   codegen, claim c6
// -- 6300   agent-c     heartbeat  0      0   on swarm/agent-c/codegen only (seen with --all)
// 16  6400  agent-c     block      6      6   lock 4 + PROGRESS 2; hold 150
// 17  6500  Alice       human      3      0   on branch feature
// 18  6600  Alice       merge      0      0
const lock = (task: string, agent: string) =>
  `---\ntask: ${task}\nagent: ${agent}\n---\n`;
const S = {
  s0: "# Progress\n- [ ] lexer\n- [ ] parser\n",
  s1: "# Progress\n- [x] lexer\n- [ ] parser\n",
  s2: "# Progress\n- [x] lexer\n- [ ] parser\n  note: needs grammar\n",
  s3: "# Progress\n- [x] lexer\n- [ ] parser\n  note: needs grammar\n- [ ] codegen\n",
  s4: "# Progress\n- [x] lexer\n- [ ] parser\n  note: needs grammar\n- [ ] codegen\n  note: lexer is fast\n",
  s5: "# Progress\n- [x] lexer\n- [x] parser\n  note: needs grammar\n- [ ] codegen\n  note: lexer is fast\n",
  s6: "# Progress\n  note: needs grammar\n- [ ] codegen\n  note: lexer is fast\n",
  s7: "# Progress\n  note: needs grammar\n- [!] codegen\n  note: lexer is fast\n",
};
const act = (
  action: string,
  agent: string,
  task?: string,
  claim?: string,
  extra: Record<string, string> = {},
) =>
  swarmMessage(`${action}: ${task ?? "state"}`, {
    "Swarm-Action": action,
    ...(task ? { "Swarm-Task": task } : {}),
    "Swarm-Agent": agent,
    ...(claim ? { "Swarm-Claim": claim } : {}),
    ...extra,
  });

let history: History;

beforeAll(async () => {
  const h = (history = await History.create());
  await h.commit({
    author: "Maintainer",
    at: 0,
    message: swarmMessage("init", { "Swarm-Action": "init" }),
    write: { "PROGRESS.md": S.s0, "README.md": "hi\n", "locks/.gitkeep": "" },
  });
  await h.commit({
    author: "agent-a",
    at: 100,
    message: act("claim", "agent-a", "lexer", "c1"),
    write: { "locks/lexer.md": lock("lexer", "agent-a") },
  });
  await h.commit({
    author: "agent-b",
    at: 200,
    message: act("claim", "agent-b", "parser", "c2"),
    write: { "locks/parser.md": lock("parser", "agent-b") },
  });
  await h.commit({
    author: "agent-a",
    at: 700,
    message: act("done", "agent-a", "lexer", "c1"),
    write: { "src/lexer.ts": lines(10), "PROGRESS.md": S.s1 },
    remove: ["locks/lexer.md"],
  });
  await h.commit({
    author: "agent-b",
    at: 900,
    message: act("release", "agent-b", "parser", "c2"),
    write: { "PROGRESS.md": S.s2 },
    remove: ["locks/parser.md"],
  });
  await h.commit({
    author: "Alice",
    at: 1000,
    message: "Add codegen task",
    write: { "PROGRESS.md": S.s3 },
  });
  await h.commit({
    author: "agent-c",
    at: 1100,
    message: act("claim", "agent-c", "parser", "c3"),
    write: { "locks/parser.md": lock("parser", "agent-c") },
  });
  await h.commit({
    author: "agent-a",
    at: 1200,
    message: act("progress", "agent-a"),
    write: { "PROGRESS.md": S.s4 },
  });
  await h.commit({
    author: "agent-b",
    at: 5000,
    message: act("break", "agent-b", "parser", "c3", {
      "Swarm-Evidence": "lease expired, no push for 1h",
      "Swarm-Forced": "true",
    }),
    remove: ["locks/parser.md"],
  });
  await h.commit({
    author: "agent-b",
    at: 5100,
    message: act("claim", "agent-b", "parser", "c5"),
    write: { "locks/parser.md": lock("parser", "agent-b") },
  });
  await h.commit({
    author: "agent-b",
    at: 5200,
    message: swarmMessage("parser: grammar", {
      "Swarm-Task": "parser",
      "Swarm-Agent": "agent-b",
    }),
    write: { "src/parser.ts": lines(20) },
  });
  await h.commit({
    author: "agent-b",
    at: 6000,
    message: act("done", "agent-b", "parser", "c5"),
    write: {
      "src/parser.ts":
        "changed 1\n" +
        lines(20).split("\n").slice(1).join("\n") +
        lines(4, "more"),
      "PROGRESS.md": S.s5,
    },
    remove: ["locks/parser.md"],
  });
  await h.commit({
    author: "coalescer",
    at: 6100,
    message: act("coalesce", "coalescer"),
    write: {
      "src/lexer.ts":
        "merged a\nmerged b\n" + lines(10).split("\n").slice(3).join("\n"),
    },
  });
  await h.commit({
    author: "agent-a",
    at: 6200,
    message: act("archive", "agent-a"),
    write: { "PROGRESS.md": S.s6 },
  });
  await h.commit({
    author: "agent-c",
    at: 6250,
    message: act("claim", "agent-c", "codegen", "c6"),
    write: { "locks/codegen.md": lock("codegen", "agent-c") },
  });
  await h.checkout("swarm/agent-c/codegen", true);
  await h.commit({
    author: "agent-c",
    at: 6300,
    message: act("heartbeat", "agent-c", "codegen", "c6"),
  });
  await h.checkout("main");
  await h.commit({
    author: "agent-c",
    at: 6400,
    message: act("block", "agent-c", "codegen", "c6"),
    write: { "PROGRESS.md": S.s7 },
    remove: ["locks/codegen.md"],
  });
  await h.checkout("feature", true);
  await h.commit({
    author: "Alice",
    at: 6500,
    message: "Write the guide",
    write: { "docs/guide.md": lines(3) },
  });
  await h.checkout("main");
  await h.merge("feature", {
    author: "Alice",
    at: 6600,
    message: "Merge branch 'feature'",
  });
});

afterAll(async () => history.dispose());

describe("analytics on a gitswarm history", () => {
  let report: AnalyticsReport;
  beforeAll(async () => {
    report = await analyzeRepository({ repoDir: history.dir, ref: "main" });
  });

  it("classifies every commit by its trailers", () => {
    const counts = Object.fromEntries(
      Object.entries(report.byClass).map(([k, v]) => [k, v.commits]),
    );
    expect(counts).toEqual({
      claim: 5,
      release: 1,
      done: 2,
      break: 1,
      block: 1,
      progress: 1,
      heartbeat: 0,
      coalesce: 1,
      archive: 1,
      init: 1,
      work: 1,
      merge: 1,
      human: 2,
    });
    expect(report.commits).toBe(18);
    expect(report.native).toBe(true);
    expect(report.locksDir).toEqual({
      path: "locks",
      detected: false,
      source: "default",
    });
  });

  it("measures the coordination tax by commits and by lines", () => {
    expect(report.coordinationTax).toEqual({
      commitShare: 10 / 18,
      lineShare: 54 / 99,
    });
    expect(report.totals).toMatchObject({
      commits: 18,
      coordinationCommits: 10,
      substantiveCommits: 6,
      lines: 99,
      coordinationLines: 54,
    });
  });

  it("reports per agent", () => {
    const rows = report.agents.map((a) => [
      a.agent,
      a.commits,
      a.coordinationCommits,
      a.substantiveCommits,
      a.lines,
      a.coordinationLines,
      a.claims,
      a.done,
    ]);
    expect(rows).toEqual([
      ["agent-b", 6, 4, 2, 49, 23, 2, 1],
      ["agent-a", 4, 3, 1, 23, 13, 1, 1],
      ["agent-c", 3, 3, 0, 14, 14, 2, 0],
      ["Alice", 3, 0, 2, 4, 1, 0, 0],
      ["coalescer", 1, 0, 1, 5, 0, 0, 0],
      ["Maintainer", 1, 0, 0, 4, 3, 0, 0],
    ]);
    expect(report.agents[0]?.substantiveRate).toBe(2 / 6);
    expect(report.agents[0]?.commitShare).toBe(4 / 6);
  });

  it("buckets the tax over time: five minutes for a two-hour history, hours when asked", async () => {
    expect(report.overTime.bucket).toBe("5min");
    // T0 to T0+6600: 23 contiguous five-minute buckets, the first holding commits #1-#3.
    expect(report.overTime.points).toHaveLength(23);
    expect(report.overTime.points[0]).toMatchObject({
      start: new Date(T0 * 1000).toISOString(),
      commits: 3,
      coordinationCommits: 2,
    });
    const hourly = await analyzeRepository({
      repoDir: history.dir,
      ref: "main",
      bucket: "hour",
    });
    expect(
      hourly.overTime.points.map((p) => [
        p.start,
        p.commits,
        p.coordinationCommits,
      ]),
    ).toEqual([
      [new Date(T0 * 1000).toISOString(), 8, 5],
      [new Date((T0 + 3600) * 1000).toISOString(), 10, 5],
    ]);
  });

  it("measures lock hold times and claim-to-done latency", () => {
    expect(report.holdTimes).toMatchObject({
      count: 5,
      open: 0,
      min: 150,
      p50: 700,
      p90: 3900,
      p99: 3900,
      max: 3900,
      mean: 1250,
    });
    expect(report.holdTimes.histogram.map((b) => b.count)).toEqual([
      0, 1, 3, 0, 1, 0, 0,
    ]);
    expect(report.claimToDone).toMatchObject({
      count: 2,
      p50: 600,
      p90: 5800,
      max: 5800,
    });
  });

  it("finds tasks claimed more than once, and the stale-lock break", () => {
    expect(report.duplicates.tasks).toEqual([
      {
        task: "parser",
        claims: 3,
        agents: ["agent-b", "agent-c", "agent-b"],
        concurrentClaims: 0,
      },
    ]);
    expect(report.duplicates.extraClaims).toBe(2);
    expect(report.duplicates.nearDuplicates).toEqual([]);
    expect(report.breaks).toEqual({
      count: 1,
      forced: 1,
      list: [
        {
          task: "parser",
          by: "agent-b",
          holder: "agent-c",
          at: new Date((T0 + 5000) * 1000).toISOString(),
          forced: true,
          heldFor: 3900,
        },
      ],
    });
  });

  it("counts commits per task", () => {
    expect(report.commitsPerTask).toMatchObject({
      tasks: 3,
      mean: 3.67,
      p50: 2,
      max: 7,
    });
    expect(report.commitsPerTask.top).toEqual([
      { task: "parser", commits: 7 },
      { task: "codegen", commits: 2 },
      { task: "lexer", commits: 2 },
    ]);
  });

  it("sees heartbeats on work branches with --all, but not notes or the stash", async () => {
    await history.git.run(["notes", "add", "-m", "reviewed", "HEAD"], {
      env: {
        GIT_AUTHOR_NAME: "n",
        GIT_AUTHOR_EMAIL: "n@x",
        GIT_COMMITTER_NAME: "n",
        GIT_COMMITTER_EMAIL: "n@x",
      },
    });
    const all = await analyzeRepository({ repoDir: history.dir, all: true });
    expect(all.commits).toBe(19);
    expect(all.byClass.heartbeat.commits).toBe(1);
    expect(all.coordinationTax.commitShare).toBe(11 / 19);
    expect(all.revisions).toBe("--all");
  });

  it("reads only the newest commits with maxCommits (the live view)", async () => {
    const recent = await analyzeRepository({
      repoDir: history.dir,
      ref: "main",
      maxCommits: 5,
    });
    // Newest five on main: merge, Alice's guide, block, claim codegen, archive.
    expect(recent.commits).toBe(5);
    expect(recent.coordinationTax.commitShare).toBe(3 / 5);
    expect(recent.revisions).toBe("main --max-count=5");
  });
});
