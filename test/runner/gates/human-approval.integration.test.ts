/**
 * The human gate with real processes: `gitswarm run` (one command agent, `review: { human: true }`)
 * parks each task's work on the hub and its one agent goes on to the next — four tasks wait at
 * once. The claims outlive their lease three times over while the runner's sweeper runs, and none
 * is broken: parked work is alive by its entry. Then the runner's process group and its agents are
 * SIGKILLed, and with no runner at all `gitswarm approve` lands one task (who approved on its done
 * marker), `gitswarm reject --reason` fails another's attempt with the reason, and a third whose
 * lock was broken by force never lands; the dashboard's reject button answers the fourth through the
 * same function, and refuses work that no longer waits.
 */
import path from "node:path";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../../coordination/git/git.js";
import { openWorkspace } from "../../../coordination/git/workspace.js";
import { loadConfig } from "../../../runner/config.js";
import { resolveHubRemote } from "../../../runner/hub-location.js";
import { performAction } from "../../../runner/dashboard/actions.js";
import { hubTask } from "../../support/swarm-fixture.js";
import {
  agentPids,
  runCli,
  startRun,
  type RunEvent,
  type RunningSwarm,
} from "../support/cli-run.js";
import {
  createCommandSwarm,
  type CommandSwarm,
} from "../support/command-swarm.js";
import { waitUntil } from "../support/wait.js";

const LEASE_MS = 4000;

/** SIGKILLs a process group (a runner, an agent): what a dying host does. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

describe.each([
  { queue: false, path: "each agent landing its own" },
  { queue: true, path: "the merge queue" },
])("the human gate, runner SIGKILLed while work waits ($path)", ({ queue }) => {
  let swarm: CommandSwarm;
  let run: RunningSwarm | undefined;
  let hub: Git;
  let parked: RunEvent[] = [];
  let runEvents: RunEvent[] = [];

  beforeAll(async () => {
    swarm = await createCommandSwarm({
      taskCount: 4,
      agents: 1,
      config: `review:\n  human: true\nqueue:\n  enabled: ${queue}\n`,
    });
    hub = new Git(path.join(swarm.dir, ".gitswarm", "hub.git"));
    run = startRun(swarm.dir, {}, ["--lease", `${LEASE_MS / 1000}s`]);
    const waits = (e: RunEvent) =>
      e.type === "approval" && e.state === "waiting";
    await run.waitFor(
      () => run!.events.filter(waits).length >= 4,
      240_000,
      "four tasks waiting for approval",
    );
    const since = Date.now();
    // Three lease lengths with no heartbeat, while this runner's sweeper breaks whatever is stale.
    await waitUntil(
      () => Date.now() > since + 3 * LEASE_MS,
      4 * LEASE_MS,
      "the parked claims' leases to run out",
    );
    parked = run.events.filter(waits);
    killGroup(run.pid);
    for (const pid of await agentPids(swarm.dir)) killGroup(pid);
    await run.done.catch(() => undefined);
    runEvents = [...run.events];
  }, 300_000);

  afterAll(async () => {
    if (run !== undefined) killGroup(run.pid);
    for (const pid of await agentPids(swarm.dir)) killGroup(pid);
    await rm(swarm.root, { recursive: true, force: true });
    await rm(swarm.scriptDir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli([...args, "--repo", swarm.dir]);

  {
    it("one agent parked all four tasks and moved on; no lease rule broke them", async () => {
      expect(parked.map((e) => e.task).sort()).toEqual([
        "t01",
        "t02",
        "t03",
        "t04",
      ]);
      expect(new Set(parked.map((e) => e.agent))).toEqual(new Set(["c1"]));
      // A working claim may be broken under load (a late beat of a short lease); a parked one never.
      const brokenParked = runEvents.filter(
        (e) =>
          e.type === "break" &&
          parked.some(
            (p) => p.task === e.task && String(p.time) < String(e.time),
          ),
      );
      expect(brokenParked).toEqual([]);
      const status = JSON.parse((await cli("status", "--json")).stdout) as {
        waitingForApproval: string[];
      };
      expect(status.waitingForApproval.sort()).toEqual([
        "t01",
        "t02",
        "t03",
        "t04",
      ]);
      const refused = await cli("locks", "break", "t01");
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toContain(
        "waits for a human's approval",
      );
    });

    it("with no runner, 'gitswarm approve' lands the work itself, or hands it to the queue for 'gitswarm land'", async () => {
      const approved = await cli("approve", "t01", "--as", "alice");
      expect(approved.stderr).toBe("");
      expect(approved.code).toBe(0);
      if (queue) {
        expect(approved.stdout).toMatch(
          /t01: approved by alice .*handed to the merge queue/,
        );
        const landed = await cli("land");
        expect(landed.code, landed.stderr).toBe(0);
      } else
        expect(approved.stdout).toMatch(
          /t01: approved by alice .*landed on main/,
        );
      expect(await hub.run(["show", "main:impl/t01.txt"])).toBe("impl t01\n");
      expect(await hub.run(["show", "main:PROGRESS.md"])).toContain(
        "- [x] t01:",
      );
      const ref = await hubTask(hub, "t01");
      expect(ref.text).toMatch(/state: done/);
      if (!queue) expect(ref.text).toContain("approved by alice");
      expect(
        (await hub.run(["for-each-ref", "refs/swarm/queue/t01"])).trim(),
      ).toBe("");
      const again = await cli("approve", "t01");
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain("no work waiting for approval");
    });

    it("'gitswarm reject --reason' fails the attempt with that reason", async () => {
      const rejected = await cli(
        "reject",
        "t02",
        "--as",
        "bob",
        "--reason",
        "say it in French",
      );
      expect(rejected.code).toBe(0);
      const ref = await hubTask(hub, "t02");
      expect(ref.text).toMatch(/state: released/);
      expect(ref.text).toContain(
        "attempt 1 failed: rejected by bob: say it in French",
      );
      expect(await hub.run(["show", "main:PROGRESS.md"])).toContain(
        "- [ ] t02:",
      );
      expect(
        (await hub.tryRun(["cat-file", "-e", "main:impl/t02.txt"])).ok,
      ).toBe(false);
    });

    it("a parked claim whose lock was broken by force never lands", async () => {
      const broken = await cli(
        "locks",
        "break",
        "t03",
        "--force",
        "--as",
        "eve",
      );
      expect(broken.code).toBe(0);
      const approved = await cli("approve", "t03", "--as", "alice");
      expect(approved.code).not.toBe(0);
      expect(
        (await hub.tryRun(["cat-file", "-e", "main:impl/t03.txt"])).ok,
      ).toBe(false);
      expect(await hub.run(["show", "main:PROGRESS.md"])).toContain(
        "- [ ] t03:",
      );
    });

    it("the dashboard's reject button answers through the same function, and refuses work that no longer waits", async () => {
      // The workspace the dashboard opens: the checkout, through its hub remote.
      const remote = await resolveHubRemote(
        new Git(swarm.dir),
        swarm.dir,
        await loadConfig(swarm.dir),
      );
      const ws = openWorkspace(swarm.dir, { remote });
      const ctx = { ws, actor: "carol", repoDir: swarm.dir, maxAttempts: 3 };
      const rejected = await performAction(ctx, {
        action: "reject",
        task: "t04",
        reason: "too terse",
      });
      expect(rejected.message).toMatch(
        /^t04: rejected by carol; the attempt failed/,
      );
      expect(rejected.ok).toBe(true);
      expect((await hubTask(hub, "t04")).text).toContain(
        "attempt 1 failed: rejected by carol: too terse",
      );
      const again = await performAction(ctx, {
        action: "approve",
        task: "t04",
      });
      expect(again.ok).toBe(false);
      expect(again.message).toContain("no work waiting for approval");
    });
  }
});
