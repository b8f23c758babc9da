/**
 * Issue 19, item 9: a blocked task that a human reopens (after committing a fix on main) starts its
 * next attempt from the current main — on a new work branch, at attempt 1 — and the blocked
 * attempt's branch is kept on the hub and named in the task's notes. Both ways work lands: each
 * agent landing its own, and through the merge queue (where the failed attempt's work, never
 * enqueued, must still reach the hub).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import { agentIdentity } from "../../coordination/git/workspace.js";
import {
  killEverything,
  startRun,
  type RunningSwarm,
} from "./support/cli-run.js";
import { makeTasks } from "./support/swarm-repo.js";
import { createScenario, type Scenario } from "./support/swarm-scenario.js";
import { implText } from "./support/task-model.js";
import { waitUntil } from "./support/wait.js";

describe.each([
  { queue: false, path: "each agent landing its own" },
  { queue: true, path: "the merge queue" },
])("reopening a blocked task during gitswarm run ($path)", ({ queue }) => {
  let scenario: Scenario;
  let run: RunningSwarm | undefined;
  let hub: Git;
  let fix = "";
  let exitCode: number | null = null;
  let humanClone = "";

  beforeAll(async () => {
    scenario = await createScenario({
      tasks: makeTasks(2),
      api: ["openai"],
      cli: [],
      lease: "30s",
      maxAttempts: 1,
      queue,
    });
    const dir = scenario.repo.dir;
    // t01's case expects what the model cannot write until a human fixes the case on main.
    await writeFile(
      path.join(dir, "cases", "t01.case.expected"),
      "impl t01 (not yet)\n",
    );
    await scenario.repo.git.run([
      "commit",
      "--quiet",
      "-am",
      "t01: a case that cannot pass yet",
    ]);
    const hubDir = path.join(dir, ".gitswarm", "hub.git");
    hub = new Git(hubDir);
    const openai = scenario.models[0];
    if (openai === undefined) throw new Error("no openai model");
    run = startRun(dir, scenario.env);
    // Once t01 is being worked on, t02's first request is held: the run stays up while the human
    // fixes main and reopens t01.
    await waitUntil(() => openai.seen.includes("t01"), 120_000, "t01 started");
    const hold = openai.holdNext();
    await run.waitFor(
      (e) => e.type === "blocked" && e.task === "t01",
      180_000,
      "t01 blocked",
    );
    expect(await hold.reached).toBe("t02");
    const file = path.join(dir, "PROGRESS.md");
    await waitUntil(
      async () => (await readFile(file, "utf8")).includes("  - blocked: "),
      60_000,
      "the block written back into the checkout",
    );

    humanClone = await mkdtemp(path.join(os.tmpdir(), "gitswarm-human-"));
    const human = new Git(humanClone, agentIdentity("human"));
    await human.run(["clone", "--quiet", hubDir, "."]);
    await writeFile(
      path.join(humanClone, "cases", "t01.case.expected"),
      implText("t01"),
    );
    await human.run(["commit", "--quiet", "-am", "fix t01's case"]);
    await human.run(["push", "--quiet", "origin", "HEAD:main"]);
    fix = (await human.run(["rev-parse", "HEAD"])).trim();

    const text = await readFile(file, "utf8");
    const reopened = text.replace(
      /(- \[ \] t01: .*\n(?: {2}- .*\n)*)/,
      "$1  - reopen: the case is fixed on main\n",
    );
    expect(reopened).toContain("reopen:");
    await writeFile(file, reopened);
    await run.waitFor(
      (e) => e.type === "progress-sync" && e.source === "human",
      60_000,
      "the reopen synced",
    );
    hold.release();
    exitCode = (await run.done).exitCode;
  }, 300_000);

  afterAll(async () => {
    await killEverything(run, scenario.repo.dir);
    await scenario.cleanup();
    if (humanClone) await rm(humanClone, { recursive: true, force: true });
  });

  it("did the reopened task at attempt 1, and the run finished", () => {
    expect(exitCode).toBe(0);
    const done = run?.events.find((e) => e.type === "done" && e.task === "t01");
    expect(done).toMatchObject({ attempt: 1 });
  });

  it("started the new attempt from the main with the fix, on a new branch", async () => {
    const branches = await hub.run(["branch", "--list", "swarm/*"]);
    expect(branches).toContain("swarm/openai-api/t01");
    const isAncestor = async (commit: string) =>
      (await hub.tryRun(["merge-base", "--is-ancestor", fix, commit])).ok;
    expect(await isAncestor("swarm/openai-api/t01")).toBe(false);
    if (!queue) {
      expect(branches).toContain("swarm/openai-api.r2/t01");
      expect(await isAncestor("swarm/openai-api.r2/t01")).toBe(true);
      return;
    }
    // Through the queue the landed work's branch was never pushed: the task ref's queue entry
    // names the work commit the lander merged, claimed on the new branch.
    const entries = await queuedWork(hub, "t01");
    expect(entries).toHaveLength(1);
    expect(entries[0]?.branch).toBe("swarm/openai-api.r2/t01");
    expect(await isAncestor(entries[0]?.work ?? "")).toBe(true);
  });

  it("named the blocked attempt's branch in the task's notes, and left no reopen request", async () => {
    const progress = await hub.run(["show", "main:PROGRESS.md"]);
    expect(progress).toMatch(
      /- \[x\] t01: .*\n(?: {2}- .*\n)*? {2}- note: reopened by Tess-Ter on \d{4}-\d\d-\d\d: the case is fixed on main \(earlier work kept on branch swarm\/openai-api\/t01\)\n/,
    );
    expect(progress).not.toMatch(/reopen:|blocked:/);
  });
});

/** The work commit and claim branch of each queue entry in the history of `task`'s ref on the hub. */
async function queuedWork(
  hub: Git,
  task: string,
): Promise<{ work: string; branch: string }[]> {
  const ref = `refs/swarm/tasks/${task}`;
  const commits = (await hub.run(["log", "--format=%H", ref]))
    .split("\n")
    .filter(Boolean);
  const entries = new Map<string, { work: string; branch: string }>();
  for (const commit of commits) {
    const entry = await hub.tryRun(["show", `${commit}:queue/${task}.md`]);
    const lock = await hub.tryRun(["show", `${commit}:locks/${task}.md`]);
    const work = /^work: (\w+)$/m.exec(entry.stdout)?.[1];
    const branch = /^branch: "?([^"\s]+)"?$/m.exec(lock.stdout)?.[1];
    if (entry.ok && work !== undefined && branch !== undefined)
      entries.set(work, { work, branch });
  }
  return [...entries.values()];
}
