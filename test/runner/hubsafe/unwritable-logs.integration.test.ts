/**
 * Issue 19 item 8: unwritable run logs. At start, a clear message naming the path and exit 2
 * before anything is claimed (no hub set up, no lock taken). Mid-run, the run stops cleanly and
 * releases what it holds: no lock left on the hub, no agent process left, and — the run having
 * died with an exception, with no run-end event — its webhook still gets run-failed with the reason.
 *
 * How the runs dir is made unwritable: these tests run as root, and root ignores file modes, so
 * chmod proves nothing. At start, `.gitswarm/runs` is a plain file (mkdir fails with EEXIST/ENOTDIR
 * for anyone). Mid-run, `.gitswarm/runs` is bind-mounted read-only onto itself (EROFS, which stops
 * root too); where mounting is not permitted (no CAP_SYS_ADMIN), the run's directory is moved away
 * and a file put in its place (ENOTDIR), the same failure of the same appends.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, runProcess } from "../../../coordination/base/spawn.js";
import {
  agentPids,
  killEverything,
  runCli,
  startRun,
  type RunningSwarm,
} from "../support/cli-run.js";
import {
  createCommandSwarm,
  type CommandSwarm,
} from "../support/command-swarm.js";
import { waitUntil } from "../support/wait.js";
import { startReceiver, type Receiver } from "../notify/receiver.js";

describe("unwritable run logs", () => {
  const swarms: CommandSwarm[] = [];
  let run: RunningSwarm | undefined;
  let mounted: string | undefined;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    const notify = `notify:\n  - kind: webhook\n    url: ${receiver.url}/hook\n    events: [run-failed]\n`;
    for (let i = 0; i < 2; i++)
      swarms.push(
        await createCommandSwarm({
          taskCount: 2,
          agents: 2,
          hold: true,
          ...(i === 1 ? { config: notify } : {}),
        }),
      );
  }, 60_000);

  afterAll(async () => {
    await receiver.close();
    if (mounted !== undefined)
      await runProcess("umount", [mounted], { cwd: "/" });
    for (const swarm of swarms) {
      await killEverything(run, swarm.dir);
      await rm(swarm.root, { recursive: true, force: true });
      await rm(swarm.scriptDir, { recursive: true, force: true });
    }
  });

  it("at start: exit 2, the path named, nothing claimed", async () => {
    const swarm = swarms[0]!;
    await mkdir(path.join(swarm.dir, ".gitswarm"), { recursive: true });
    await writeFile(path.join(swarm.dir, ".gitswarm", "runs"), "in the way\n");
    const result = await runCli(["run", "--repo", swarm.dir, "--json"]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      /cannot write the run log .*\.gitswarm\/runs\/[^ ]+\/events\.jsonl: a file stands where a directory should be/,
    );
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.stdout).not.toMatch(/"type":"claim"/);
  }, 120_000);

  it("mid-run: stops cleanly, releases every claim, exit 2 naming the path", async () => {
    const swarm = swarms[1]!;
    run = startRun(swarm.dir, {});
    await run.waitFor(
      () => run!.events.filter((e) => e.type === "claim").length === 2,
      120_000,
      "both agents holding a claim",
    );
    const runs = path.join(swarm.dir, ".gitswarm", "runs");
    const readOnly =
      (await runProcess("mount", ["--bind", runs, runs], { cwd: "/" }))
        .exitCode === 0;
    if (readOnly) {
      mounted = runs;
      const ro = await runProcess("mount", ["-o", "remount,bind,ro", runs], {
        cwd: "/",
      });
      expect(ro.exitCode, decode(ro.stderr)).toBe(0);
    } else {
      const runId = String(
        run.events.find((e) => e.type === "run-start")?.runId,
      );
      await rename(path.join(runs, runId), path.join(runs, `${runId}.moved`));
      await writeFile(path.join(runs, runId), "in the way\n");
    }
    // The held agents heartbeat every lease/3: the next event written fails.
    const result = await run.done;
    const stderr = decode(result.stderr);
    expect(result.exitCode, stderr).toBe(2);
    expect(stderr).toMatch(
      readOnly
        ? /cannot write the run log .*events\.jsonl: the file system is read-only/
        : /cannot write the run log .*events\.jsonl: a file stands where a directory should be/,
    );
    expect(
      run.events
        .filter((e) => e.type === "released")
        .map((e) => e.task)
        .sort(),
    ).toEqual(["t01", "t02"]);
    // No run-end was written, yet the run's end is notified, with the reason.
    const failed = receiver.received
      .filter((r) => r.path === "/hook")
      .map((r) => JSON.parse(r.body) as { event: string; text: string });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.event).toBe("run-failed");
    expect(failed[0]?.text).toMatch(
      /^gitswarm: the run failed: cannot write the run log .*events\.jsonl/,
    );
    const locks = await runCli(["locks", "--repo", swarm.dir, "--json"]);
    expect(locks.code, locks.stderr).toBe(0);
    expect(JSON.parse(locks.stdout)).toEqual([]);
    await waitUntil(
      async () => (await agentPids(swarm.dir)).length === 0,
      30_000,
      "no agent process left",
    );
  }, 240_000);
});
