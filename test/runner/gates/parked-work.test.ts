/**
 * Work parked for a human, from plain data: the queue entry's `hold`/`then` survive a round trip;
 * the parked entry of a claim is found (and not another claim's, nor queued work's); the agent that
 * parked work tells the run how a human's answer, carried out outside the run, ended it.
 */
import { describe, expect, it } from "vitest";
import type { SwarmState } from "../../../coordination/protocol/swarm-state.js";
import {
  parseQueueEntry,
  renderQueueEntry,
  type QueueEntry,
} from "../../../coordination/state/queue-entry.js";
import type { TaskMarker } from "../../../coordination/state/task-marker.js";
import { heldEntryOf } from "../../../runner/gates/approval-landing.js";
import { followParked } from "../../../runner/gates/parked-follow.js";

const entry: QueueEntry = {
  task: "t1",
  agent: "a",
  claimId: "claim-0001",
  work: "a".repeat(40),
  queuedAt: "2026-12-06T01:00:00.000Z",
  summary: "did it",
  hold: "approval",
  then: "land",
};
const lock = { ok: true, lock: { claimId: "claim-0001", attempt: 1 } };

describe("a parked queue entry", () => {
  it("keeps its hold and what follows approval through render and parse", () => {
    expect(parseQueueEntry(renderQueueEntry(entry))).toEqual({
      ok: true,
      entry,
    });
    const { hold: _h, then: _t, ...queued } = entry;
    const plain = renderQueueEntry(queued);
    expect(plain).not.toContain("hold:");
    expect(parseQueueEntry(plain)).toEqual({ ok: true, entry: queued });
  });

  it("is the parked work of its own claim only", () => {
    const view = (queued: QueueEntry | undefined, claimId = "claim-0001") => ({
      taskRef: {
        taskId: "t1",
        commit: "e".repeat(40),
        lock: { ...lock, lock: { ...lock.lock, claimId } },
        ...(queued ? { queued } : {}),
      },
    });
    const cast = (v: ReturnType<typeof view>) =>
      v as unknown as Parameters<typeof heldEntryOf>[0];
    expect(heldEntryOf(cast(view(entry)), entry)).toMatchObject({
      entry,
      entryCommit: "e".repeat(40),
    });
    expect(
      heldEntryOf(cast(view(entry)), { claimId: "claim-0002" }),
    ).toBeUndefined();
    const { hold: _h, ...queued } = entry;
    expect(heldEntryOf(cast(view(queued)), entry)).toBeUndefined();
    expect(heldEntryOf(cast(view(undefined)), entry)).toBeUndefined();
    expect(heldEntryOf({ taskRef: undefined }, entry)).toBeUndefined();
  });
});

function state(
  holder: string | undefined,
  marker?: Partial<TaskMarker>,
): Pick<SwarmState, "tasks"> {
  return {
    tasks: [
      {
        task: { id: "t1" },
        ...(holder ? { holder: { claimId: holder } } : {}),
        ...(marker ? { marker: { task: "t1", ...marker } } : {}),
      },
    ],
  } as unknown as Pick<SwarmState, "tasks">;
}

describe("the run hears of answers given outside it", () => {
  const parked = () => new Map([["t1", { claimId: "claim-0001", attempt: 1 }]]);

  it("says nothing while the work waits", () => {
    const map = parked();
    expect(followParked(map, state("claim-0001"), "a")).toEqual([]);
    expect(map.size).toBe(1);
  });

  it("approved and landed: who approved, then done (its cost already counted)", () => {
    const map = parked();
    const events = followParked(
      map,
      state(undefined, {
        state: "done",
        claimId: "claim-0001",
        main: "m".repeat(40),
        review: "approved by rev (rule all); approved by alice",
      }),
      "a",
    );
    expect(events).toEqual([
      {
        type: "approval",
        agent: "a",
        task: "t1",
        state: "approved",
        by: "alice",
      },
      {
        type: "done",
        agent: "a",
        task: "t1",
        commit: "m".repeat(40),
        costUsd: 0,
        attempt: 1,
      },
    ]);
    expect(map.size).toBe(0);
  });

  it("rejected: the human's reason as a failed attempt", () => {
    const events = followParked(
      parked(),
      state(undefined, {
        state: "released",
        claimId: "claim-0001",
        reason: "attempt 1 failed: rejected by bob: say it in French",
      }),
      "a",
    );
    expect(events).toEqual([
      {
        type: "approval",
        agent: "a",
        task: "t1",
        state: "rejected",
        by: "bob",
        detail: "rejected by bob: say it in French",
      },
      {
        type: "attempt-failed",
        agent: "a",
        task: "t1",
        attempt: 1,
        reason: "rejected by bob: say it in French",
      },
    ]);
  });

  it("approved but conflicting with main: handed back, no failure", () => {
    const events = followParked(
      parked(),
      state("claim-0009", {
        state: "released",
        claimId: "claim-0001",
        reason: "requeue: the queued work conflicts with main in a.txt",
      }),
      "a",
    );
    expect(events).toEqual([
      {
        type: "approval",
        agent: "a",
        task: "t1",
        state: "approved",
        detail: "not landed: the queued work conflicts with main in a.txt",
      },
    ]);
  });
});
