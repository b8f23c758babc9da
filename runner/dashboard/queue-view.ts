/**
 * The dashboard's merge-queue view, pure: the entries and the lander's claim come from the swarm
 * state read from the hub (any clone sees them); the batch being gated, its oracle steps and the
 * last landings come from this host's run log (the lander reports them as `queue` events).
 */
import type { SwarmEvent } from "../../coordination/base/events.js";
import type { SwarmState } from "../../coordination/protocol/swarm-state.js";
import { LAND_TASK } from "../queue/lander.js";
import type { QueueView } from "./snapshot-types.js";

/** What the run log says of the queue. */
export type QueueFold = Pick<QueueView, "batch" | "landings">;

const LANDINGS_SHOWN = 10;

/** Folds a run's `queue` events (in order). Pure. */
export function foldQueueEvents(events: readonly SwarmEvent[]): QueueFold {
  let batch: QueueView["batch"] = null;
  const landings: QueueView["landings"] = [];
  for (const event of events) {
    if (event.type === "run-end") batch = null;
    if (event.type !== "queue") continue;
    if (event.phase === "batch-start")
      batch = { tasks: event.tasks ?? [], startedAt: event.time, steps: [] };
    else if (
      [
        "batch-result",
        "bisect",
        "flaky",
        "culprit",
        "speculate",
        "speculate-dropped",
      ].includes(event.phase)
    )
      batch?.steps.push(event.detail);
    else if (event.phase === "land" || event.phase === "fenced") {
      batch = null;
      if (event.phase === "land")
        landings.unshift({
          time: event.time,
          tasks: event.tasks ?? [],
          commit: event.commit ?? null,
        });
    }
  }
  return { batch, landings: landings.slice(0, LANDINGS_SHOWN) };
}

/** The queue view: the hub's entries and lander with the log's batch and landings. Pure. */
export function buildQueueView(
  state: SwarmState | undefined,
  fold: QueueFold,
): QueueView {
  const entries = (state?.tasks ?? [])
    // Work parked for a human's approval is not in the merge queue until approved.
    .flatMap((t) =>
      t.queued === undefined || t.queued.hold !== undefined ? [] : [t.queued],
    )
    .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt))
    .map((q) => ({
      task: q.task,
      agent: q.agent,
      queuedAt: q.queuedAt,
      work: q.work,
    }));
  const lock = (state?.locks ?? []).find(
    (l) => l.entry.ok && l.entry.lock.task === LAND_TASK,
  )?.entry;
  return {
    entries,
    lander:
      lock?.ok === true
        ? { holder: lock.lock.agent, since: lock.lock.claimedAt }
        : null,
    ...fold,
  };
}
