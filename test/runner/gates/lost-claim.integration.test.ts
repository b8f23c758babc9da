/**
 * A claim lost while its agent worked (a host cut off from the hub past its lease, its task taken
 * over and landed elsewhere with the same change), through the real agent loop and landing against
 * a real hub: the finished work is fenced before the gates rebase it, so it is reported as not
 * landed and stays on its branch, never failed as "no change" against the taker's landing. A
 * failed attempt whose claim was broken meanwhile is reported as not recorded, never counted.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { Agent, WorkOutcome } from "../../../agents/types.js";
import { breakLock } from "../../../coordination/protocol/break-lock.js";
import { claimTask } from "../../../coordination/protocol/claim.js";
import { finishTask } from "../../../coordination/protocol/finish.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";
import { eventOf, runLoop } from "./loop-fixture.js";

let fixture: SwarmFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const USAGE = { calls: 1, inputTokens: 1, outputTokens: 1, costUsd: 0 };

/** Any end of t1's attempt. */
const ended = (e: { type: string; task?: unknown }) =>
  e.task === "t1" &&
  ["error", "attempt-failed", "done", "blocked"].includes(e.type);

it("fences finished work whose claim was taken over and landed with the same change; the work stays on its branch", async () => {
  const swarm = await createSwarmFixture({
    "PROGRESS.md": "# Progress\n\n- [ ] t1: Write the greeting\n",
  });
  fixture = swarm;
  const change = { file: "greeting.txt", text: "hello\n" };
  // Works, then (as the rest of the fleet would while it is cut off) loses its claim to 'b',
  // which lands the very same change before this agent's work comes back.
  const agent: Agent = {
    name: "a",
    kind: "openai",
    async work(request): Promise<WorkOutcome> {
      await writeFile(
        path.join(request.workspaceDir, change.file),
        change.text,
      );
      const taker = await swarm.clone("b");
      await breakLock(taker, { taskId: "t1", breaker: "b", force: true });
      const claim = await claimTask(taker, {
        taskId: "t1",
        agent: "b",
        leaseMs: 60_000,
      });
      if (claim.outcome !== "won") throw new Error(claim.outcome);
      await writeFile(path.join(taker.dir, change.file), change.text);
      await taker.git.run(["add", "--all"]);
      await taker.git.run(["commit", "--quiet", "-m", "work: t1 (b)"]);
      const landed = await finishTask(taker, {
        taskId: "t1",
        agent: "b",
        claimId: claim.lock.claimId,
        work: "HEAD",
      });
      if (landed.outcome !== "landed") throw new Error(landed.outcome);
      return {
        kind: "finished",
        summary: "did it",
        usage: USAGE,
      };
    },
  };
  const { events, ws } = await runLoop(swarm, agent, ended);

  expect(eventOf(events, "attempt-failed")).toBeUndefined();
  const error = eventOf(events, "error");
  expect(error?.message).toMatch(
    /^not landed \(work kept on swarm\/a\/t1\): task 't1' has no lock on the hub any more/,
  );
  expect(await ws.git.run(["log", "--format=%s", "swarm/a/t1", "--"])).toMatch(
    /^work: t1 \(a\)/m,
  );
});

it.each([
  ["released", 3],
  ["blocked", 1],
])(
  "reports a failed attempt whose claim was broken meanwhile as not recorded (it would have been %s), never as an attempt",
  async (_, maxAttempts) => {
    const swarm = await createSwarmFixture({
      "PROGRESS.md": "# Progress\n\n- [ ] t1: Write the greeting\n",
    });
    fixture = swarm;
    // Gives up (a failed attempt), and meanwhile a human breaks its lock.
    const agent: Agent = {
      name: "a",
      kind: "openai",
      async work(): Promise<WorkOutcome> {
        const human = await swarm.clone("h");
        await breakLock(human, { taskId: "t1", breaker: "h", force: true });
        return {
          kind: "gave-up",
          reason: "the spec is unclear",
          usage: USAGE,
        };
      },
    };
    const { events, ws } = await runLoop(swarm, agent, ended, { maxAttempts });

    expect(eventOf(events, "attempt-failed")).toBeUndefined();
    expect(eventOf(events, "blocked")).toBeUndefined();
    expect(eventOf(events, "error")?.message).toMatch(
      /^attempt 1 failed \(.*the spec is unclear.*\); not recorded, the claim was lost meanwhile \(work kept on swarm\/a\/t1\): task 't1' has no lock on the hub any more/,
    );
    // Nothing about the attempt reached the hub: the task ref ends at the human's break.
    await ws.git.run([
      "fetch",
      "--quiet",
      "origin",
      "+refs/swarm/*:refs/swarm/*",
    ]);
    expect(
      await ws.git.run(["log", "-1", "--format=%s", "refs/swarm/tasks/t1"]),
    ).not.toMatch(/release|block/);
  },
);
