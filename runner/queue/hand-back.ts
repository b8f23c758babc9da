/**
 * Handing queued work back to the swarm: a culprit of a red batch ends its claim as a failed
 * attempt (the oracle's reason and failing cases go to the marker, so the next attempt's prompt
 * shows them), or blocked after the last attempt; an entry whose merge conflicts with what landed
 * meanwhile is released to be rebased — not counted the first time, counted when its previous claim
 * already came back for the same reason. Both write the task ref on top of the entry commit (fenced
 * by the entry's claim); the orphaned queue ref is deleted by the lander's next read.
 */
import { entryText, readObjects } from "../../coordination/git/cat-file.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { blockTask, releaseTask } from "../../coordination/protocol/finish.js";
import {
  markerPath,
  parseMarker,
} from "../../coordination/state/task-marker.js";
import type { QueuedWork } from "../../coordination/queue/read-queue.js";
import type { EventInput } from "../../coordination/base/events.js";
import { failureReason, REBASE_PREFIX } from "../agent/attempts.js";

/** Ends a culprit's claim: a failed attempt, or blocked after `maxAttempts`. */
export async function failQueued(
  ws: Workspace,
  item: QueuedWork,
  reason: string,
  maxAttempts: number,
  emit: (event: EventInput) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { entry, lock } = item;
  const claim = {
    taskId: entry.task,
    agent: entry.agent,
    claimId: entry.claimId,
    signal,
  };
  if (lock.attempt >= maxAttempts) {
    const why = `gave up after ${lock.attempt} attempt(s); last: ${reason}`;
    const end = await blockTask(ws, { ...claim, reason: why });
    if (end.outcome === "landed")
      emit({
        type: "blocked",
        agent: entry.agent,
        task: entry.task,
        reason: why,
      });
    return;
  }
  const end = await releaseTask(ws, {
    ...claim,
    reason: failureReason(lock.attempt, reason),
  });
  if (end.outcome === "landed")
    emit({
      type: "attempt-failed",
      agent: entry.agent,
      task: entry.task,
      attempt: lock.attempt,
      reason,
    });
}

/** Hands conflicting work back to be rebased; the second time in a row it is a failed attempt. */
export async function bounceQueued(
  ws: Workspace,
  item: QueuedWork,
  files: readonly string[],
  maxAttempts: number,
  emit: (event: EventInput) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { entry } = item;
  const why = `the queued work conflicts with what landed on main meanwhile, in ${files.join(", ") || "some files"}; rebase onto main and resolve`;
  if (await bouncedBefore(ws, item))
    return failQueued(ws, item, why, maxAttempts, emit, signal);
  const end = await releaseTask(ws, {
    taskId: entry.task,
    agent: entry.agent,
    claimId: entry.claimId,
    reason: `${REBASE_PREFIX}${why}`,
    signal,
  });
  if (end.outcome === "landed")
    emit({
      type: "released",
      agent: entry.agent,
      task: entry.task,
      reason: `${REBASE_PREFIX}${why}`,
    });
}

/** Whether the claim before this one ended handed back for a rebase (entry ← lock ← marker). */
async function bouncedBefore(ws: Workspace, item: QueuedWork) {
  const [marker] = await readObjects(ws.git, [
    `${item.entryCommit}~2:${markerPath(item.entry.task)}`,
  ]);
  const text = entryText(marker);
  const parsed = text === undefined ? undefined : parseMarker(text);
  return (
    parsed?.ok === true &&
    parsed.marker.state === "released" &&
    (parsed.marker.reason ?? "").startsWith(REBASE_PREFIX)
  );
}
