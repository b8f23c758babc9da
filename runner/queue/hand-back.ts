/**
 * Handing queued work back to the swarm: a culprit of a red batch ends its claim as a failed
 * attempt (the oracle's reason and failing cases go to the marker, so the next attempt's prompt
 * shows them), or blocked after the last attempt; an entry whose merge conflicts with what landed
 * meanwhile is released to be rebased — not counted the first time, counted when its previous claim
 * already came back for the same reason; an entry whose task left PROGRESS.md (deleted, or renamed:
 * the new id is another task) is released. Each writes the task ref on top of the entry commit
 * (fenced by the entry's claim); the orphaned queue ref is deleted by the lander's next read. The
 * queued work goes to its claim's branch on the hub first — the agent pushed it only to the queue
 * ref — so the next claimer resumes it and the reasons' "work kept on" is true.
 */
import { entryText, readObjects } from "../../coordination/git/cat-file.js";
import { NETWORK_TIMEOUT_MS } from "../../coordination/git/git.js";
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
  await keepWork(ws, item, signal);
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
  await keepWork(ws, item, signal);
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

/** Releases the claim of work whose task left PROGRESS.md while it waited; returns the reason. */
export async function releaseGone(
  ws: Workspace,
  item: QueuedWork,
  emit: (event: EventInput) => void,
  signal?: AbortSignal,
): Promise<string> {
  const { entry, lock } = item;
  await keepWork(ws, item, signal);
  const reason = `'${entry.task}' was deleted or renamed in PROGRESS.md while its work waited in the merge queue; the work is kept on branch ${lock.branch}`;
  const end = await releaseTask(ws, {
    taskId: entry.task,
    agent: entry.agent,
    claimId: entry.claimId,
    reason,
    signal,
  });
  if (end.outcome === "landed")
    emit({ type: "released", agent: entry.agent, task: entry.task, reason });
  return reason;
}

/**
 * Puts the queued work on its claim's branch on the hub. The hub takes only fast-forwards there, and
 * the branch may hold the claim's heartbeat snapshots: then a commit with the work's tree and both
 * as parents goes on top. Throws when the hub refuses: the claim is then not ended, and the queue
 * ref still keeps the work.
 */
async function keepWork(
  ws: Workspace,
  item: QueuedWork,
  signal?: AbortSignal,
): Promise<void> {
  const { work } = item.entry;
  const branch = `refs/heads/${item.lock.branch}`;
  const network = { timeoutMs: NETWORK_TIMEOUT_MS, signal };
  const kept = `refs/gitswarm/kept/${item.entry.task}`;
  const fetched = await ws.git.tryRun(
    ["fetch", "--quiet", "--no-tags", ws.remote, `+${branch}:${kept}`],
    network,
  );
  let source = work;
  if (fetched.ok) {
    const tip = (await ws.git.run(["rev-parse", kept])).trim();
    await ws.git.run(["update-ref", "-d", kept]);
    if ((await ws.git.tryRun(["merge-base", "--is-ancestor", work, tip])).ok)
      return;
    source = (
      await ws.git.run([
        "commit-tree",
        `${work}^{tree}`,
        "-p",
        tip,
        "-p",
        work,
        "-m",
        `work of ${item.entry.task} (${item.entry.agent}), kept from the merge queue`,
      ])
    ).trim();
  }
  await ws.git.run(
    ["push", "--quiet", ws.remote, `${source}:${branch}`],
    network,
  );
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
