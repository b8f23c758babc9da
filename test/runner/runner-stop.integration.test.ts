/**
 * Issue 15, "a runner that never exits": SIGTERM — what `timeout`, systemd, `docker stop` and CI
 * cancellation send — stops `gitswarm run` for good, whether it reaches the runner directly, through
 * `npm run swarm`, or through `timeout … npm run swarm`. Each stop comes mid-run (an agent's model
 * call held open, so a claim is certainly held, while others gate and land); the runner and its
 * agents must be gone before a generous deadline, the held lock must stay on the hub with its lease,
 * and a final run resumes and finishes every task exactly once.
 */
import { rmSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  decode,
  killProcessGroup,
  type SpawnResult,
} from "../../coordination/base/spawn.js";
import {
  agentPids,
  killEverything,
  runCli,
  runnerPids,
  startRun,
  startRunCommand,
  type RunningSwarm,
} from "./support/cli-run.js";
import { readHubMain } from "./support/hub-history.js";
import { makeTasks } from "./support/swarm-repo.js";
import { createScenario, type Scenario } from "./support/swarm-scenario.js";
import type { TaskModel } from "./support/task-model.js";
import { waitUntil } from "./support/wait.js";
import { SAME_REQUEST_MS } from "../../runner/cli/process-io.js";

// The runner's bound is 150 s (a last push + 30 s); everything here should end in seconds. The
// deadline only keeps a hung runner from hanging the suite: the test fails, it does not wait forever.
const GONE_DEADLINE_MS = 170_000;
const TASKS = 6;

describe("gitswarm run stopped by SIGTERM", () => {
  let scenario: Scenario;
  let model: TaskModel;
  const runs: RunningSwarm[] = [];
  const releases: (() => void)[] = [];

  beforeAll(async () => {
    scenario = await createScenario({
      tasks: makeTasks(TASKS),
      api: ["anthropic", "openai"],
      cli: [],
      // Each run resumes the claims the stopped one kept. With the scenario's 5 s lease those have
      // expired by then; a resumed claim beats at once (resume-beat.integration.test.ts), but a
      // loaded machine can still delay that beat past the runner's own sweeper (CI, under load).
      lease: "30s",
    });
    const anthropic = scenario.models.find(
      (m) => m.vendor.kind === "anthropic",
    );
    if (anthropic === undefined) throw new Error("no anthropic model");
    model = anthropic;
  }, 120_000);

  // A test that failed must not leave its runner holding the repo's run lock for the next one.
  afterEach(async () => {
    // The fake vendor answers in order: a held request left waiting would stall every later one.
    for (const release of releases.splice(0)) release();
    for (const pid of await runnerPids(scenario.repo.dir))
      killProcessGroup(pid, 0);
    for (const pid of await agentPids(scenario.repo.dir))
      killProcessGroup(pid, 0);
  });

  afterAll(async () => {
    for (const release of releases) release();
    for (const run of runs) await killEverything(run, scenario.repo.dir);
    await scenario.cleanup();
  });

  /** Starts a run and resolves once an agent is held mid-task (its claim certainly on the hub). */
  async function startHeld(start: () => RunningSwarm): Promise<{
    run: RunningSwarm;
    task: string;
  }> {
    const held = model.holdNext();
    releases.push(held.release);
    const run = start();
    runs.push(run);
    const task = await Promise.race([
      held.reached,
      run.done.then((r) => {
        throw new Error(`the run ended first: ${decode(r.stderr)}`);
      }),
    ]);
    return { run, task };
  }

  /** Waits (with a deadline) until the run's outermost process, the runner and its agents are gone. */
  async function expectAllGone(run: RunningSwarm): Promise<SpawnResult> {
    let result: SpawnResult | undefined;
    void run.done.then((r) => (result = r));
    await waitUntil(
      async () =>
        result !== undefined &&
        (await runnerPids(scenario.repo.dir)).length === 0 &&
        (await agentPids(scenario.repo.dir)).length === 0,
      GONE_DEADLINE_MS,
      "the runner and its agents to exit",
    );
    return result as SpawnResult;
  }

  /** Whether signal `n` is pending for `pid` (Linux /proc: SigPnd and ShdPnd are hex masks). */
  async function isSignalPending(pid: number, n: number): Promise<boolean> {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(
      () => "",
    );
    const bit = 1n << BigInt(n - 1);
    return [...status.matchAll(/^(?:SigPnd|ShdPnd):\s+([0-9a-f]+)$/gm)].some(
      (m) => (BigInt(`0x${m[1]}`) & bit) !== 0n,
    );
  }

  /** Makes the hub's receive wait until the returned function is called; pushes queue up meanwhile. */
  async function holdHubPushes(): Promise<() => void> {
    const hooks = path.join(scenario.repo.dir, ".gitswarm", "hub.git", "hooks");
    const marker = path.join(scenario.repo.root, "hold-pushes");
    const hook = path.join(hooks, "pre-receive");
    await writeFile(marker, "");
    await writeFile(
      hook,
      `#!/bin/sh\nwhile [ -e '${marker}' ]; do sleep 0.1; done\nexit 0\n`,
    );
    await chmod(hook, 0o755);
    return () => {
      rmSync(marker, { force: true });
      rmSync(hook, { force: true });
    };
  }

  async function heldLock(task: string) {
    const locks = await runCli([
      "locks",
      "--repo",
      scenario.repo.dir,
      "--json",
    ]);
    expect(locks.code, locks.stderr).toBe(0);
    const all = JSON.parse(locks.stdout) as Record<string, unknown>[];
    return all.find((lock) => lock.task === task);
  }

  it("stops gracefully on SIGTERM mid-run, keeps the held claim's lock with its lease", async () => {
    const { run, task } = await startHeld(() =>
      startRun(scenario.repo.dir, scenario.env),
    );
    // Mid-run: other work has been gated and landed while the held agent waits.
    await run.waitFor((e) => e.type === "done", 120_000, "a task done");
    process.kill(run.pid, "SIGTERM");
    const result = await expectAllGone(run);
    // Issue 19: a stop is not a success; CI cancellation and `docker stop` must see 143.
    expect(result.exitCode, decode(result.stderr)).toBe(143);
    expect(run.events.find((e) => e.type === "run-end")).toMatchObject({
      state: "stopped",
      exitCode: 143,
    });
    expect(await heldLock(task)).toMatchObject({ agent: "anthropic-api" });
  }, 300_000);

  it("forces when the bound runs out: exit 143, agents killed, the lock kept", async () => {
    const { run, task } = await startHeld(() =>
      startRun(scenario.repo.dir, {
        ...scenario.env,
        GITSWARM_STOP_BOUND_MS: "1",
      }),
    );
    process.kill(run.pid, "SIGTERM");
    const result = await expectAllGone(run);
    expect(result.exitCode, decode(result.stderr)).toBe(143);
    expect(decode(result.stderr)).toMatch(/forced stop/);
    expect(await heldLock(task)).toMatchObject({ agent: "anthropic-api" });
  }, 300_000);

  it("a second SIGTERM forces at once", async () => {
    const { run } = await startHeld(() =>
      startRun(scenario.repo.dir, scenario.env),
    );
    // A graceful stop can end within SAME_REQUEST_MS (the held agent's last beat is one quick
    // push), and a second SIGTERM to a runner already gone tests nothing: the hub holds every push
    // from here until the test ends, so the stop cannot finish by itself.
    const unblock = await holdHubPushes();
    releases.push(unblock);
    process.kill(run.pid, "SIGTERM");
    // Two SIGTERMs sent back to back may merge into one pending signal: send the second once the
    // first has been delivered, and past SAME_REQUEST_MS (requests closer than that are one).
    await waitUntil(
      async () => !(await isSignalPending(run.pid, 15)),
      60_000,
      "the first SIGTERM delivered",
    );
    await new Promise((resolve) => setTimeout(resolve, SAME_REQUEST_MS + 200));
    process.kill(run.pid, "SIGTERM");
    const result = await expectAllGone(run);
    expect(result.exitCode, decode(result.stderr)).toBe(143);
    expect(decode(result.stderr)).toMatch(
      /forced stop \(a second stop request\)/,
    );
  }, 300_000);

  it("stops through npm run swarm", async () => {
    const { run } = await startHeld(() =>
      startRunCommand(
        "npm",
        ["run", "-s", "swarm", "--", "--repo", scenario.repo.dir, "--json"],
        scenario.env,
      ),
    );
    process.kill(run.pid, "SIGTERM");
    await expectAllGone(run);
  }, 300_000);

  it("stops through timeout … npm run swarm (the issue's own command line)", async () => {
    const { run } = await startHeld(() =>
      startRunCommand(
        "timeout",
        [
          "600",
          "npm",
          "run",
          "-s",
          "swarm",
          "--",
          "--repo",
          scenario.repo.dir,
          "--json",
        ],
        scenario.env,
      ),
    );
    // What `timeout` does when its time is up; it also passes a SIGTERM it receives to npm.
    process.kill(run.pid, "SIGTERM");
    await expectAllGone(run);
  }, 300_000);

  it("the next run resumes every held task and finishes each exactly once", async () => {
    const run = startRun(scenario.repo.dir, scenario.env);
    runs.push(run);
    const result = await run.done;
    expect(result.exitCode, decode(result.stderr)).toBe(0);
    expect(run.events.find((e) => e.type === "run-end")).toMatchObject({
      state: "finished",
    });
    const history = await readHubMain(
      path.join(scenario.repo.dir, ".gitswarm", "hub.git"),
    );
    const done = history.filter((c) => c.action === "done").map((c) => c.task);
    expect(done.sort()).toEqual(scenario.repo.tasks.map((t) => t.id).sort());
  }, 300_000);
});
