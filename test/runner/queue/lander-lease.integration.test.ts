/**
 * The lander keeps its lease like any holder, on a real hub: lease-only heartbeats at a fixed rate
 * that carry main's tree (never the lander's checkout), a lost lease noticed and reported; a
 * runner's sweeper never breaks a claim its own process holds live; one lander per repo folder
 * (a second is refused at once, a SIGKILLed holder's folder lock is taken over at once).
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../../coordination/base/spawn.js";
import type { EventInput } from "../../../coordination/base/events.js";
import { breakLock } from "../../../coordination/protocol/break-lock.js";
import { claimTask } from "../../../coordination/protocol/claim.js";
import { keepLanderLease } from "../../../runner/queue/lander-lease.js";
import { lockLocalLander } from "../../../runner/queue/lander-lock.js";
import { LAND_TASK } from "../../../runner/queue/lander.js";
import { sweepStaleLocks } from "../../../runner/swarm/lock-sweeper.js";
import { createQueueFixture, type QueueFixture } from "./queue-fixture.js";

let fixture: QueueFixture;
beforeAll(async () => {
  fixture = await createQueueFixture(["l1"]);
}, 120_000);
afterAll(() => fixture.cleanup());

async function pollUntil<T>(
  read: () => Promise<T | undefined>,
  what: string,
  deadlineMs = 60_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the lander's lease", () => {
  it("beats lease-only at a fixed rate, and notices when its lock is broken", async () => {
    const ws = await fixture.clone("lease-keeper");
    const claim = await claimTask(ws, {
      taskId: LAND_TASK,
      agent: "lander",
      leaseMs: 60_000,
      recurring: true,
    });
    if (claim.outcome !== "won") throw new Error(claim.outcome);
    // What a lander's clone holds between batches: none of it is anyone's work.
    await writeFile(path.join(ws.dir, "oracle-output.txt"), "scratch\n");
    const events: EventInput[] = [];
    let lost: string | undefined;
    const lease = keepLanderLease(
      ws,
      {
        taskId: LAND_TASK,
        agent: "lander",
        claimId: claim.lock.claimId,
      },
      50,
      (e) => events.push(e),
      (message) => (lost = message),
    );
    const branch = `refs/heads/${claim.lock.branch}`;
    const beats = await pollUntil(async () => {
      const log = await fixture.hub.tryRun(["rev-list", "--count", branch]);
      const main = await fixture.hub.run(["rev-list", "--count", "main"]);
      // Each beat sits on main and on the previous beat: more commits than main means beats.
      const n = log.ok ? Number(log.stdout) - Number(main) : 0;
      return n >= 3 ? n : undefined;
    }, "three heartbeats");
    expect(beats).toBeGreaterThanOrEqual(3);
    expect(
      (await fixture.hub.run(["rev-parse", `${branch}^{tree}`])).trim(),
    ).toBe((await fixture.hub.run(["rev-parse", "main^{tree}"])).trim());

    const human = await fixture.clone("lease-breaker");
    const broken = await breakLock(human, {
      taskId: LAND_TASK,
      breaker: "human",
      force: true,
    });
    expect(broken.outcome).toBe("broken");
    const message = await pollUntil(async () => lost, "the lost lease");
    expect(message).toMatch(/no lock on the hub|held by/);
    await lease.stop();
    expect(events.some((e) => e.type === "heartbeat" && e.ok === false)).toBe(
      true,
    );
  }, 120_000);

  it("a runner's sweeper spares the claims its process holds live; another breaks them once stale", async () => {
    const ws = await fixture.clone("spared");
    const claim = await claimTask(ws, {
      taskId: "l1",
      agent: "lander-l1",
      leaseMs: 1_000,
    });
    if (claim.outcome !== "won") throw new Error(claim.outcome);
    const later = () => new Date(Date.now() + 3_600_000);
    const sweeper = await fixture.clone("sweeper");
    const spared = await sweepStaleLocks(sweeper, "runner", () => undefined, {
      spare: new Set([claim.lock.claimId]),
      now: later,
    });
    expect(spared).toEqual([]);
    const swept = await sweepStaleLocks(sweeper, "runner", () => undefined, {
      now: later,
    });
    expect(swept).toEqual(["l1"]);
  }, 120_000);
});

describe("one lander per repo folder", () => {
  it("refuses a second lander in the folder, and takes over at once from a killed one", async () => {
    const repoDir = path.join(fixture.root, "folder");
    const held = await lockLocalLander(repoDir);
    expect(held).toBeDefined();
    const second = await fixture.land("folder");
    expect(second).toEqual({ outcome: "busy", local: true });
    await held?.release();

    // A holder SIGKILLed: its lock stays fresh on disk, but its pid is gone.
    const dead = await runProcess("sh", ["-c", "echo $$"], {
      cwd: repoDir,
      timeoutMs: 30_000,
    });
    await mkdir(path.join(repoDir, ".gitswarm", "lander.lock"), {
      recursive: true,
    });
    await writeFile(
      path.join(repoDir, ".gitswarm", "lander.pid"),
      `${Buffer.from(dead.stdout).toString().trim()} ${os.hostname()}\n`,
    );
    const taken = await lockLocalLander(repoDir);
    expect(taken).toBeDefined();
    // A live holder (this process) is never taken over.
    expect(await lockLocalLander(repoDir)).toBeUndefined();
    await taken?.release();
  }, 120_000);
});
