/**
 * Queue refs: each queued piece of work is kept on the hub at `refs/swarm/queue/<id>/<claim>`
 * (outside `refs/heads/`, like the task refs), so the lander — any runner, on any machine — can
 * merge it without its author's clone. One ref per claim: a claim enqueues at most once, so a
 * create never has to overwrite (the hub refuses non-fast-forwards). A clone mirrors them under
 * `refs/gitswarm/<remote>/queue/`, fetched only by the lander and `status`.
 */
import { NETWORK_TIMEOUT_MS, gitFailure } from "./git.js";
import { retryOnStaleGitLock } from "./lock-recovery.js";
import { taskRefspec } from "./task-refs.js";
import { trackingRef, type Workspace } from "./workspace.js";

/** Where queue refs live on the hub. */
export const HUB_QUEUE_REFS = "refs/swarm/queue/";

/** The hub ref that keeps one claim's queued work. */
export function hubQueueRef(taskId: string, claimId: string): string {
  return `${HUB_QUEUE_REFS}${taskId}/${claimId}`;
}

/** The prefix of the clone's mirror of the queue refs. */
export function trackingQueuePrefix(ws: { remote: string }): string {
  return `refs/gitswarm/${ws.remote}/queue/`;
}

/** Splits a mirrored or hub queue ref into task and claim; undefined for anything else. Pure. */
export function parseQueueRef(
  ref: string,
  prefix: string,
): { taskId: string; claimId: string } | undefined {
  if (!ref.startsWith(prefix)) return undefined;
  const [taskId, claimId, ...rest] = ref.slice(prefix.length).split("/");
  if (!taskId || !claimId || rest.length > 0) return undefined;
  return { taskId, claimId };
}

/**
 * Fetches main, every task ref and every queue ref in ONE fetch (the lander's and status's view of
 * the queue: an entry on a task ref and the work its queue ref keeps arrive together).
 */
export async function fetchQueue(
  ws: Workspace,
  signal?: AbortSignal,
): Promise<void> {
  const args = [
    "fetch",
    "--quiet",
    "--no-tags",
    "--no-write-fetch-head",
    "--prune",
    ws.remote,
    `+refs/heads/${ws.branch}:${trackingRef(ws)}`,
    taskRefspec(ws),
    `+${HUB_QUEUE_REFS}*:${trackingQueuePrefix(ws)}*`,
  ];
  for (let attempt = 0; ; attempt += 1) {
    const result = await retryOnStaleGitLock(ws.dir, () =>
      ws.git.tryRun(args, { timeoutMs: NETWORK_TIMEOUT_MS, signal }),
    );
    if (result.ok) return;
    if (attempt < 3 && /cannot lock ref .*but expected/.test(result.stderr))
      continue;
    throw gitFailure(ws.dir, args, result);
  }
}
