/** The dashboard's merge-queue view: hub entries and lander, the log's batch in progress and landings. */
import { describe, expect, it } from "vitest";
import type { SwarmEvent } from "../../../coordination/base/events.js";
import type { SwarmState } from "../../../coordination/protocol/swarm-state.js";
import {
  buildQueueView,
  foldQueueEvents,
} from "../../../runner/dashboard/queue-view.js";

const at = (s: number) =>
  new Date(Date.UTC(2026, 11, 5, 12, 0, s)).toISOString();
const queue = (s: number, phase: string, extra: object = {}) =>
  ({
    type: "queue",
    time: at(s),
    agent: "lander",
    phase,
    detail: `${phase} detail`,
    ...extra,
  }) as SwarmEvent;

describe("the merge-queue view", () => {
  it("follows a batch through its oracle steps to its landing", () => {
    const started = [
      queue(1, "enqueue", { task: "a" }),
      queue(2, "batch-start", { tasks: ["a", "b"] }),
      queue(3, "batch-result", { tasks: ["a", "b"], ok: false }),
      queue(4, "bisect"),
    ];
    expect(foldQueueEvents(started).batch).toEqual({
      tasks: ["a", "b"],
      startedAt: at(2),
      steps: ["batch-result detail", "bisect detail"],
    });
    const landed = foldQueueEvents([
      ...started,
      queue(5, "culprit", { task: "b" }),
      queue(6, "land", { tasks: ["a"], commit: "c0ffee" }),
      queue(7, "batch-start", { tasks: ["c"] }),
      queue(8, "fenced"),
      queue(9, "land", { tasks: ["c"] }),
    ]);
    expect(landed.batch).toBeNull();
    expect(landed.landings).toEqual([
      { time: at(9), tasks: ["c"], commit: null },
      { time: at(6), tasks: ["a"], commit: "c0ffee" },
    ]);
  });

  it("lists the hub's entries in queue order and names the lander", () => {
    const entry = (task: string, s: number) => ({
      task,
      agent: "w1",
      claimId: "claim-id-123",
      work: "a".repeat(40),
      queuedAt: at(s),
    });
    const state = {
      tasks: [
        { task: { id: "x" }, queued: entry("x", 5) },
        { task: { id: "y" } },
        { task: { id: "z" }, queued: entry("z", 3) },
      ],
      locks: [
        {
          entry: {
            ok: true,
            lock: { task: "swarm-land", agent: "lander-1", claimedAt: at(4) },
          },
        },
      ],
    } as unknown as SwarmState;
    const view = buildQueueView(state, { batch: null, landings: [] });
    expect(view.entries.map((e) => e.task)).toEqual(["z", "x"]);
    expect(view.lander).toEqual({ holder: "lander-1", since: at(4) });
    expect(buildQueueView(undefined, { batch: null, landings: [] })).toEqual({
      entries: [],
      lander: null,
      batch: null,
      landings: [],
    });
  });
});
