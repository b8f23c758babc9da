/**
 * Issue 19 item 4: a hub outage mid-run does not end the run. The issue's scenario is the hub moved
 * away for 60 s; scaled down through the config (`hubOutage: 40s`, the hub gone for ~8 s) so the
 * test stays quick. Both agents hold a claim (held on a gate file) when the hub directory is
 * renamed away; their heartbeats' fetches and pushes fail, are retried with backoff, the run says
 * "hub unreachable since …"; the hub comes back, the gate opens, and the run finishes every task
 * with exit 0.
 */
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode } from "../../../coordination/base/spawn.js";
import {
  killEverything,
  startRun,
  type RunningSwarm,
} from "../support/cli-run.js";
import {
  createCommandSwarm,
  type CommandSwarm,
} from "../support/command-swarm.js";

// How long the hub stays away once an agent has seen it gone (GITSWARM_TEST_OUTAGE_MS changes it).
const OUTAGE_MS = Number(process.env.GITSWARM_TEST_OUTAGE_MS ?? 8_000);

describe("a hub outage mid-run", () => {
  let swarm: CommandSwarm;
  let run: RunningSwarm | undefined;

  beforeAll(async () => {
    swarm = await createCommandSwarm({
      taskCount: 2,
      agents: 2,
      hold: true,
      config: "hubOutage: 40s\n",
    });
  }, 60_000);

  afterAll(async () => {
    await killEverything(run, swarm.dir);
    await rm(swarm.root, { recursive: true, force: true });
    await rm(swarm.scriptDir, { recursive: true, force: true });
  });

  it("retries while the hub is away, says so, and finishes when it is back", async () => {
    run = startRun(swarm.dir, {});
    await run.waitFor(
      () =>
        run!.events.filter((e) => e.type === "claim" && e.outcome === "won")
          .length === 2,
      120_000,
      "both agents holding a claim",
    );
    const hub = path.join(swarm.dir, ".gitswarm", "hub.git");
    await rename(hub, `${hub}.away`);
    const down = await run.waitFor(
      (e) => e.type === "hub" && e.state === "unreachable",
      60_000,
      "a process seeing the hub unreachable",
    );
    // The outage itself: the hub stays away this long (not a wait for something to happen).
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await rename(`${hub}.away`, hub);
    await writeFile(swarm.gate, "");
    const result = await run.done;
    expect(result.exitCode, decode(result.stderr)).toBe(0);
    expect(down.since).toEqual(expect.any(String));
    expect(
      run.events.some((e) => e.type === "hub" && e.state === "reachable"),
    ).toBe(true);
    expect(
      run.events
        .filter((e) => e.type === "done")
        .map((e) => e.task)
        .sort(),
    ).toEqual(["t01", "t02"]);
    expect(run.events.find((e) => e.type === "run-end")).toMatchObject({
      state: "finished",
      exitCode: 0,
    });
    expect(run.events.filter((e) => e.type === "respawn")).toEqual([]);
  }, 300_000);
});
