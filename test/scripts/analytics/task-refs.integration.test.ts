import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeRepository,
  formatAnalyticsTable,
  renderAnalyticsHtml,
  type AnalyticsReport,
} from "../../../scripts/analytics/index.js";
import { Git } from "../../../coordination/git/git.js";
import { History, T0, lines, swarmMessage } from "./history.js";

// gitswarm's task-ref layout: main carries only work; each task's coordination log is its own ref.
// main (7 commits; coordination: the block only)      refs/swarm/tasks/<id> (15 commits)
//  t     who         main                               lexer   parser        codegen  swarm-coalesce docs
//  0     Maintainer  init
//  100                                                  claim a c1
//  200                                                          claim b c2
//  700   agent-a     done lexer c1                      done
//  900                                                          release
//  1000  Alice       human (PROGRESS.md note)
//  1100                                                          claim c c3
//  3000                                                                                 claim k1
//  3100  coalescer   done swarm-coalesce k1                                             done
//  4000                                                                                 claim k2
//  4100  coalescer   done swarm-coalesce k2                                             done
//  5000                                                          break by b (c3), forced
//  5100                                                          claim b c5
//  5500  agent-b     heartbeat on swarm/agent-b/parser (a work branch: --all only)
//  6000  agent-b     done parser c5                              done
//  6250                                                                        claim c c6
//  6400  agent-c     block codegen c6                                          blocked
//  6500                                                                                        claim d (held)
const act = (
  action: string,
  agent: string,
  task: string,
  claim?: string,
  extra: Record<string, string> = {},
) =>
  swarmMessage(`${action}: ${task}`, {
    "Swarm-Action": action,
    "Swarm-Task": task,
    "Swarm-Agent": agent,
    ...(claim ? { "Swarm-Claim": claim } : {}),
    ...extra,
  });
const lock = (task: string, agent: string, claim: string) =>
  `---\ntask: ${task}\nagent: ${agent}\nhost: h\nclaim: ${claim}\nclaimed-at: x\nlease-until: x\nbranch: swarm/${agent}/${task}\nattempt: 1\n---\n`;
const marker = (task: string, state: string, agent: string, claim: string) =>
  `---\ntask: ${task}\nstate: ${state}\nagent: ${agent}\nclaim: ${claim}\nat: x\n---\n`;

let history: History;
const extraDirs: string[] = [];

async function claim(task: string, agent: string, claimId: string, at: number) {
  await history.taskRefCommit(task, {
    author: agent,
    at,
    message: act("claim", agent, task, claimId),
    file: "lock",
    content: lock(task, agent, claimId),
  });
}

async function end(
  action: "release" | "break" | "done" | "block",
  task: string,
  agent: string,
  claimId: string,
  at: number,
  extra: Record<string, string> = {},
) {
  const state = {
    release: "released",
    break: "broken",
    done: "done",
    block: "blocked",
  }[action];
  await history.taskRefCommit(task, {
    author: agent,
    at,
    message: act(action, agent, task, claimId, extra),
    file: "marker",
    content: marker(task, state, agent, claimId),
  });
}

async function onMain(
  action: string,
  task: string,
  agent: string,
  claimId: string,
  at: number,
  write: Record<string, string>,
): Promise<string> {
  return history.commit({
    author: agent,
    at,
    message: act(action, agent, task, claimId),
    write,
  });
}

beforeAll(async () => {
  const h = (history = await History.create());
  await h.commit({
    author: "Maintainer",
    at: 0,
    message: swarmMessage("init", { "Swarm-Action": "init" }),
    write: {
      "PROGRESS.md": "- [ ] lexer\n- [ ] parser\n- [ ] codegen\n- [ ] docs\n",
    },
  });
  await claim("lexer", "agent-a", "c1", 100);
  await claim("parser", "agent-b", "c2", 200);
  const lexerDone = await onMain("done", "lexer", "agent-a", "c1", 700, {
    "src/lexer.ts": lines(10),
    "PROGRESS.md": "- [x] lexer\n- [ ] parser\n- [ ] codegen\n- [ ] docs\n",
  });
  await end("done", "lexer", "agent-a", "c1", 700, { "Swarm-Main": lexerDone });
  await end("release", "parser", "agent-b", "c2", 900);
  await h.commit({
    author: "Alice",
    at: 1000,
    message: "Note on the parser",
    write: { "NOTES.md": "grammar first\n" },
  });
  await claim("parser", "agent-c", "c3", 1100);
  await claim("swarm-coalesce", "coalescer", "k1", 3000);
  await onMain("done", "swarm-coalesce", "coalescer", "k1", 3100, {
    "src/shared.ts": lines(2),
  });
  await end("done", "swarm-coalesce", "coalescer", "k1", 3100);
  await claim("swarm-coalesce", "coalescer", "k2", 4000);
  await onMain("done", "swarm-coalesce", "coalescer", "k2", 4100, {
    "src/shared.ts": lines(3),
  });
  await end("done", "swarm-coalesce", "coalescer", "k2", 4100);
  await end("break", "parser", "agent-b", "c3", 5000, {
    "Swarm-Evidence": "lease expired",
    "Swarm-Forced": "true",
  });
  await claim("parser", "agent-b", "c5", 5100);
  await h.checkout("swarm/agent-b/parser", true);
  await h.commit({
    author: "agent-b",
    at: 5500,
    message: act("heartbeat", "agent-b", "parser", "c5"),
    write: { "src/parser.ts": lines(1) },
  });
  await h.checkout("main");
  await onMain("done", "parser", "agent-b", "c5", 6000, {
    "src/parser.ts": lines(6),
    "PROGRESS.md": "- [x] lexer\n- [x] parser\n- [ ] codegen\n- [ ] docs\n",
  });
  await end("done", "parser", "agent-b", "c5", 6000);
  await claim("codegen", "agent-c", "c6", 6250);
  await onMain("block", "codegen", "agent-c", "c6", 6400, {
    "PROGRESS.md":
      "- [x] lexer\n- [x] parser\n- [ ] codegen\n  blocked: no spec\n- [ ] docs\n",
  });
  await end("block", "codegen", "agent-c", "c6", 6400, { "Swarm-Main": "x" });
  await claim("docs", "agent-d", "c7", 6500);
});

afterAll(async () => {
  await history?.dispose();
  for (const dir of extraDirs) await rm(dir, { recursive: true, force: true });
});

describe("a gitswarm history with task refs", () => {
  let report: AnalyticsReport;
  beforeAll(async () => {
    report = await analyzeRepository({ repoDir: history.dir, ref: "main" });
  });

  it("keeps the coordination tax the branch's own: main carries only work and one block", () => {
    expect(report.commits).toBe(7);
    expect(report.byClass.claim.commits).toBe(0);
    expect(report.byClass.done.commits).toBe(4);
    expect(report.totals.coordinationCommits).toBe(1);
    expect(report.coordinationTax.commitShare).toBe(1 / 7);
  });

  it("reports the coordination commits on the task refs, per done task and per task", () => {
    expect(report.taskRefs).toEqual({
      pattern: "refs/swarm/tasks/*",
      repo: history.dir,
      refs: 5,
      commits: 15,
      coordinationCommits: 11,
      byAction: {
        claims: 8,
        releases: 1,
        breaks: 1,
        done: 4,
        blocks: 1,
        other: 0,
      },
      doneTasks: 4,
      coordinationPerDoneTask: 2.75,
      combinedCommitShare: 12 / 18,
      perTask: {
        tasks: 5,
        mean: 2.2,
        p50: 2,
        p90: 5,
        p99: 5,
        min: 1,
        max: 5,
        top: [
          { task: "parser", coordinationCommits: 5, claims: 3, state: "done" },
          {
            task: "codegen",
            coordinationCommits: 2,
            claims: 1,
            state: "blocked",
          },
          {
            task: "swarm-coalesce",
            coordinationCommits: 2,
            claims: 2,
            state: "done",
          },
          { task: "docs", coordinationCommits: 1, claims: 1, state: "held" },
          { task: "lexer", coordinationCommits: 1, claims: 1, state: "done" },
        ],
      },
    });
  });

  it("takes hold times, claim-to-done, duplicates and breaks from the task refs", () => {
    expect(report.holdTimes).toMatchObject({
      count: 7,
      mean: 921,
      p50: 600,
      p90: 3900,
      min: 100,
      max: 3900,
      open: 1,
    });
    expect(report.claimToDone).toMatchObject({
      count: 3,
      min: 100,
      p50: 600,
      max: 5800,
    });
    // swarm-coalesce recurs by design: not a duplicate.
    expect(report.duplicates.tasks).toEqual([
      {
        task: "parser",
        claims: 3,
        agents: ["agent-b", "agent-c", "agent-b"],
        concurrentClaims: 0,
      },
    ]);
    expect(report.duplicates.extraClaims).toBe(2);
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

  it("counts claims per agent from the task refs, claimers without a commit on main included", () => {
    const claims = Object.fromEntries(
      report.agents.map((a) => [a.agent, [a.claims, a.commits, a.done]]),
    );
    expect(claims).toEqual({
      Maintainer: [0, 1, 0],
      "agent-a": [1, 1, 1],
      Alice: [0, 1, 0],
      coalescer: [2, 2, 2],
      "agent-b": [2, 1, 1],
      "agent-c": [2, 1, 0],
      "agent-d": [1, 0, 0],
    });
  });

  it("counts a task's commits once: the main commit, not its marker twin", () => {
    const top = Object.fromEntries(
      report.commitsPerTask.top.map((t) => [t.task, t.commits]),
    );
    expect(top).toEqual({
      parser: 6,
      "swarm-coalesce": 4,
      codegen: 2,
      lexer: 2,
      docs: 1,
    });
  });

  it("shows the task refs in the table and the HTML page", () => {
    expect(formatAnalyticsTable(report)).toContain(
      "; locks on task refs refs/swarm/tasks/*\n",
    );
    expect(formatAnalyticsTable(report)).toContain(
      "Task refs (refs/swarm/tasks/*): 11 coordination commits on 5 refs (8 claims, 1 releases, 1 breaks, 1 blocks) for 4 done → 2.75 per done task; on the branch they would make the tax 66.7%",
    );
    const html = renderAnalyticsHtml(report);
    expect(html).toContain("<h2>Coordination on task refs</h2>");
    expect(html).toContain("<td>parser</td><td>5</td><td>3</td><td>done</td>");
  });

  it("with --all reads the work branches as branches and the task refs still apart", async () => {
    const all = await analyzeRepository({ repoDir: history.dir, all: true });
    expect(all.commits).toBe(8);
    expect(all.byClass.heartbeat.commits).toBe(1);
    expect(all.taskRefs.commits).toBe(15);
    expect(all.holdTimes.count).toBe(7);
  });

  it("reads the task refs from the embedded hub when the user's repo has only main", async () => {
    const user = `${history.dir}-user`;
    extraDirs.push(user);
    await history.git.run(["clone", "-q", history.dir, user]);
    await new Git(user).run([
      "clone",
      "-q",
      "--mirror",
      history.dir,
      path.join(user, ".gitswarm", "hub.git"),
    ]);
    const seen = await analyzeRepository({ repoDir: user });
    expect(seen.commits).toBe(7);
    expect(seen.taskRefs.repo).toBe(path.join(user, ".gitswarm", "hub.git"));
    expect(seen.taskRefs.coordinationCommits).toBe(11);
    expect(seen.holdTimes.count).toBe(7);
    expect(seen.duplicates.extraClaims).toBe(2);
  });

  it("leaves the task refs out of a quick look at the newest commits", async () => {
    const quick = await analyzeRepository({
      repoDir: history.dir,
      ref: "main",
      maxCommits: 3,
    });
    expect(quick.commits).toBe(3);
    expect(quick.taskRefs.refs).toBe(0);
  });
});
