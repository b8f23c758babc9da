/**
 * Issue 6, acceptance 1: a real run through the CLI — five agents (anthropic, openai and gemini
 * over the real SDKs against local vendor servers; claude and codex as fake CLIs on PATH) on 22
 * tasks with dependencies and a real oracle. Everything is read back from the hub's history.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
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
import { createScenario, type Scenario } from "./support/swarm-scenario.js";
import { makeTasks } from "./support/swarm-repo.js";

describe("gitswarm run: 5 agents of 5 kinds, 22 tasks with dependencies, a real oracle", () => {
  let scenario: Scenario;
  let run: RunningSwarm | undefined;
  let history: HubCommit[] = [];
  let exitCode: number | null = null;
  let hubDir = "";

  beforeAll(async () => {
    // Nothing crashes here, so the lease is a safe one: the scenario's 5 s (quick recovery for the
    // crash tests) broke live claims whenever a loaded machine delayed a heartbeat past it.
    // Each agent has one task routed to it alone, so "every agent landed work" holds on a slow
    // machine too (an agent slow to start found the others had taken everything).
    scenario = await createScenario({
      tasks: makeTasks(22),
      lease: "30s",
      oneTaskEach: true,
    });
    hubDir = path.join(scenario.repo.dir, ".gitswarm", "hub.git");
    run = startRun(scenario.repo.dir, scenario.env);
    exitCode = (await run.done).exitCode;
    history = await readHubMain(hubDir);
  }, 300_000);

  afterAll(async () => {
    await killEverything(run, scenario.repo.dir);
    await scenario.cleanup();
  });

  it("finishes with every task done and exit 0", () => {
    const end = run?.events.find((e) => e.type === "run-end");
    expect(
      end,
      JSON.stringify(run?.events.filter((e) => e.type === "error")),
    ).toMatchObject({ state: "finished", tasksDone: 22 });
    expect(exitCode).toBe(0);
  });

  it("used every agent, each through its real client", () => {
    const doneBy = new Set(
      run?.events.filter((e) => e.type === "done").map((e) => e.agent),
    );
    const idle = scenario.agents.filter((a) => !doneBy.has(a));
    expect(
      [...doneBy].sort(),
      `what the agents that landed nothing did: ${JSON.stringify(run?.events.filter((e) => idle.includes(String(e.agent))))}`,
    ).toEqual([...scenario.agents].sort());
    for (const model of scenario.models)
      expect(
        model.server.requests.some((r) =>
          model.vendor.pathPattern.test(r.path),
        ),
      ).toBe(true);
  });

  it("left a history where each task is done exactly once, after its dependencies, and every commit is a gitswarm action", () => {
    expect(
      historyProblems(
        history,
        scenario.repo.tasks,
        new Set([scenario.repo.seed]),
      ),
    ).toEqual([]);
    expect(history.filter((c) => c.action === "done")).toHaveLength(22);
  });

  it("only ever raised the oracle baseline, up to every case", async () => {
    const baselines = await baselinesAtDone(hubDir, history);
    expect(ratchetDrops(baselines)).toEqual([]);
    expect(baselines.at(-1)?.passing.length).toBe(22);
  });

  it("brought the results home: the user branch is the hub main, the oracle passes there", async () => {
    const head = (await scenario.repo.git.run(["rev-parse", "HEAD"])).trim();
    expect(head).toBe(history.at(-1)?.sha);
    expect(
      await readFile(path.join(scenario.repo.dir, "impl", "t22.txt"), "utf8"),
    ).toBe("impl t22\n");
    const oracle = await runCli(["oracle", "--repo", scenario.repo.dir]);
    expect(oracle.code, oracle.stdout + oracle.stderr).toBe(0);
    expect(oracle.stdout).toMatch(/22 passed, 0 failed/);
  });
});
