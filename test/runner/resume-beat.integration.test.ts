/**
 * A resumed claim is renewed at once. The lease it resumes was last renewed by the process before
 * this one (a runner restarted after a stop or a crash) and may have run out: until the agent's
 * first beat, any sweeper may break it. So the agent loop beats right after the work branch is
 * checked out, not a third of a lease later. The lease here is 10 minutes, so a regular first beat
 * would come after 200 s; the agent's work waits up to 60 s for the resume beat on the hub.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { Agent, WorkOutcome } from "../../agents/types.js";
import { claimTask, workBranch } from "../../coordination/protocol/claim.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../support/swarm-fixture.js";
import { runLoopUntil } from "./gates/loop-fixture.js";

let fixture: SwarmFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const LEASE_MS = 600_000;

it("an agent that resumes its claim renews it before its work, not a third of a lease later", async () => {
  const swarm = await createSwarmFixture({
    "PROGRESS.md": "# Progress\n\n- [ ] t1: Write the greeting\n",
  });
  fixture = swarm;
  // The claim the stopped run kept: same agent, same clone (so the same runner).
  const ws = await swarm.clone("a");
  const kept = await claimTask(ws, {
    taskId: "t1",
    agent: "a",
    leaseMs: LEASE_MS,
  });
  expect(kept.outcome).toBe("won");
  // Heartbeats go to the claim's work branch on the hub (the lease is renewed by the newest one).
  const branch = `refs/heads/${workBranch("a", "t1")}`;
  const newestBeat = async () => {
    const log = await swarm.hub.tryRun(["log", "-1", "--format=%s", branch]);
    return log.ok && log.stdout.startsWith("heartbeat: ")
      ? log.stdout.trim()
      : undefined;
  };
  expect(await newestBeat()).toBeUndefined();

  let beatSeen: string | undefined;
  const agent: Agent = {
    name: "a",
    kind: "openai",
    async work(request): Promise<WorkOutcome> {
      const until = Date.now() + 60_000;
      while (beatSeen === undefined && Date.now() < until) {
        beatSeen = await newestBeat();
        if (beatSeen === undefined)
          await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await writeFile(path.join(request.workspaceDir, "greeting.txt"), "hi\n");
      return {
        kind: "finished",
        summary: "wrote it",
        usage: { calls: 1, inputTokens: 1, outputTokens: 1, costUsd: 0 },
      };
    },
  };
  const events = await runLoopUntil(
    swarm,
    agent,
    (e) => e.type === "done" || e.type === "attempt-failed",
    { ws, leaseMs: LEASE_MS },
    180_000,
  );

  expect(events.find((e) => e.type === "claim")).toMatchObject({
    outcome: "resumed",
  });
  expect(beatSeen, "no heartbeat reached the hub during the work").toBe(
    "heartbeat: t1 (a)",
  );
  expect(events.some((e) => e.type === "done")).toBe(true);
}, 240_000);
