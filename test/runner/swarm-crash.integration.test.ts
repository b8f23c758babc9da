/**
 * Issue 6, acceptance 2: the same swarm survives crashes. One agent process is SIGKILLed while its
 * model call is in flight (mid-task, claim held); later the runner itself is SIGKILLed and
 * `gitswarm run` is started again on the same repo. Everything still finishes, each task exactly
 * once, and nothing that was on the hub's main before the kill is lost.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import { decode, type SpawnResult } from "../../coordination/base/spawn.js";
import {
  agentPids,
  killEverything,
  runCli,
  startRun,
  type RunningSwarm,
} from "./support/cli-run.js";
import {
  baselinesAtDone,
  historyProblems,
  ratchetDrops,
  readHubMain,
  type HubCommit,
} from "./support/hub-history.js";
import { makeTasks } from "./support/swarm-repo.js";
import { createScenario, type Scenario } from "./support/swarm-scenario.js";
import { waitUntil } from "./support/wait.js";

describe("gitswarm run after an agent and the runner are SIGKILLed", () => {
  let scenario: Scenario;
  const runs: RunningSwarm[] = [];
  let hubDir = "";
  let victimTask = "";
  let mainBeforeKill = "";
  let history: HubCommit[] = [];
  let secondRun: SpawnResult | undefined;

  beforeAll(async () => {
    scenario = await createScenario({
      tasks: makeTasks(20),
      api: ["anthropic", "openai", "gemini"],
      cli: ["claude-code"],
    });
    hubDir = path.join(scenario.repo.dir, ".gitswarm", "hub.git");
    const anthropic = scenario.models.find(
      (m) => m.vendor.kind === "anthropic",
    );
    if (anthropic === undefined) throw new Error("no anthropic model");
    const held = anthropic.holdNext();
    const first = startRun(scenario.repo.dir, scenario.env);
    runs.push(first);
    victimTask = await held.reached;
    const [victim] = await agentPids(scenario.repo.dir, "anthropic-api");
    if (victim === undefined) throw new Error("no anthropic-api agent process");
    process.kill(victim, "SIGKILL");
    held.release();
    await first.waitFor(
      (e) => e.type === "respawn" && e.agent === "anthropic-api",
      120_000,
      "the respawn of anthropic-api",
    );
    await first.waitFor(
      (e) => e.type === "done" && e.task === victimTask,
      120_000,
      `the victim's task ${victimTask} done`,
    );
    await first.waitFor(
      () => first.events.filter((e) => e.type === "done").length >= 6,
      150_000,
      "6 tasks done",
    );
    mainBeforeKill = (await new Git(hubDir).run(["rev-parse", "main"])).trim();
    process.kill(first.pid, "SIGKILL");
    await first.done;
    // Orphaned agents notice their runner is gone and stop; a restart must not race them.
    await waitUntil(
      async () => (await agentPids(scenario.repo.dir)).length === 0,
      60_000,
      "the orphaned agents to stop",
    );
    // The rest of the 20 tasks: under a second suite on 2 cores this run alone took over 290 s,
    // the default bound of a started run, so it gets what is left of this hook's bound.
    const second = startRun(scenario.repo.dir, scenario.env, [], 420_000);
    runs.push(second);
    secondRun = await second.done;
    history = await readHubMain(hubDir);
  }, 600_000);

  afterAll(async () => {
    for (const run of runs) await killEverything(run, scenario.repo.dir);
    await scenario.cleanup();
  });

  it("killed the agent while it held a claim, respawned it, and the task it was killed on got done", () => {
    const first = runs[0]?.events ?? [];
    const respawnAt = first.findIndex(
      (e) => e.type === "respawn" && e.agent === "anthropic-api",
    );
    const claimedAt = first.findIndex(
      (e) =>
        e.type === "claim" &&
        e.agent === "anthropic-api" &&
        e.task === victimTask &&
        e.outcome === "won",
    );
    expect(claimedAt).toBeGreaterThanOrEqual(0);
    expect(respawnAt).toBeGreaterThan(claimedAt);
    // Resumed by the respawn (same name) or, if its lease ran out first, by whoever broke the lock.
    expect(first.some((e) => e.type === "done" && e.task === victimTask)).toBe(
      true,
    );
  });

  it("the restarted run finishes everything", () => {
    expect(
      secondRun?.exitCode,
      decode(secondRun?.stderr ?? new Uint8Array()),
    ).toBe(0);
    expect(runs[1]?.events.find((e) => e.type === "run-end")).toMatchObject({
      state: "finished",
    });
    expect(history.filter((c) => c.action === "done")).toHaveLength(20);
  });

  it("lost nothing that was on main before the kill", async () => {
    const ancestor = await new Git(hubDir).tryRun([
      "merge-base",
      "--is-ancestor",
      mainBeforeKill,
      "main",
    ]);
    expect(ancestor.ok).toBe(true);
  });

  it("kept every guarantee: each task done once after its dependencies, trailers everywhere, the ratchet only up", async () => {
    expect(
      historyProblems(
        history,
        scenario.repo.tasks,
        new Set([scenario.repo.seed]),
      ),
    ).toEqual([]);
    const baselines = await baselinesAtDone(hubDir, history);
    expect(ratchetDrops(baselines)).toEqual([]);
    expect(baselines.at(-1)?.passing.length).toBe(20);
  });

  it("the oracle passes in the user checkout", async () => {
    const oracle = await runCli(["oracle", "--repo", scenario.repo.dir]);
    expect(oracle.code, oracle.stdout + oracle.stderr).toBe(0);
    expect(oracle.stdout).toMatch(/20 passed, 0 failed/);
  });
});
