/**
 * Reading the merge queue from the hub: one fetch of main, the task refs and the queue refs, then
 * every task ref whose tip carries an entry for the claim that holds it, in queue order. A queue
 * ref whose claim is over (its task ref moved on to a marker or another claim) is an orphan the
 * lander deletes; one whose entry is not visible yet (a torn read) is left alone.
 */
import { readObjects } from "../git/cat-file.js";
import {
  fetchQueue,
  parseQueueRef,
  trackingQueuePrefix,
} from "../git/queue-refs.js";
import type { Workspace } from "../git/workspace.js";
import { readHubView, type HubView } from "../state/hub-view.js";
import type { Lock } from "../state/lock-file.js";
import type { QueueEntry } from "../state/queue-entry.js";
import { queueOrder } from "./plan.js";

/** One queued piece of work as the lander needs it. */
export interface QueuedWork {
  entry: QueueEntry;
  /** The task ref's commit holding the entry: the landing push's expected old value (the fence). */
  entryCommit: string;
  lock: Lock;
}

/** The queue as read from one fetch. */
export interface QueueView {
  view: HubView & { tip: string };
  /** In queue order. */
  items: QueuedWork[];
  /** Queue refs of claims that are over: `{ taskId, claimId, ref, work }`. */
  orphans: { taskId: string; claimId: string; work: string }[];
}

/** Fetches and reads the queue (`fetch: false` reuses the clone's last fetch). */
export async function readQueue(
  ws: Workspace,
  options: { fetch?: boolean; signal?: AbortSignal } = {},
): Promise<QueueView | undefined> {
  if (options.fetch !== false) await fetchQueue(ws, options.signal);
  const view = await readHubView(ws);
  if (view.tip === undefined) return undefined;
  const prefix = trackingQueuePrefix(ws);
  const refs = (
    await ws.git.run([
      "for-each-ref",
      "--format=%(objectname) %(refname)",
      prefix,
    ])
  )
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      const [work, ref] = line.split(" ");
      const parsed = ref === undefined ? undefined : parseQueueRef(ref, prefix);
      return parsed && work ? [{ ...parsed, work }] : [];
    });
  const byTask = new Map((view.taskRefs ?? []).map((r) => [r.taskId, r]));
  const queued = (view.taskRefs ?? []).flatMap((r): QueuedWork[] =>
    // Work that waits for a human's approval is not the lander's yet.
    r.queued && r.queued.hold === undefined && r.lock?.ok
      ? [{ entry: r.queued, entryCommit: r.commit, lock: r.lock.lock }]
      : [],
  );
  // An entry whose work has not arrived (its queue ref missing from this fetch) waits a round.
  const present =
    queued.length === 0
      ? []
      : await readObjects(
          ws.git,
          queued.map((q) => `${q.entry.work}^{commit}`),
        );
  const items = queueOrder(
    queued
      .filter((_, i) => present[i]?.missing === false)
      .map((q) => ({ ...q, queuedAt: q.entry.queuedAt, task: q.entry.task })),
  ).map(({ entry, entryCommit, lock }) => ({ entry, entryCommit, lock }));
  const orphans = refs.filter(({ taskId, claimId }) => {
    const state = byTask.get(taskId);
    if (state === undefined) return false;
    if (state.marker !== undefined) return true;
    return state.lock?.ok === true && state.lock.lock.claimId !== claimId;
  });
  return { view: { ...view, tip: view.tip }, items, orphans };
}
