/**
 * Entries that reach the hub's queue while a batch is gated, from anywhere: other runners' agents
 * and humans with `gitswarm land --queue`, whom the runner's own enqueue events never tell of. A
 * late speculation (speculation.ts) starts on them as on this runner's own. One `ls-remote` of the
 * hub's queue refs per poll, checked against the clone's mirror of them: the turn's read fetched it
 * with `--prune`, so a ref missing from it has come since. Nothing is fetched, so the clone does not
 * move while its batch is gated.
 */
import { sleep } from "../../coordination/git/backoff.js";
import { NETWORK_TIMEOUT_MS } from "../../coordination/git/git.js";
import {
  HUB_QUEUE_REFS,
  parseQueueRef,
  trackingQueuePrefix,
} from "../../coordination/git/queue-refs.js";
import type { Workspace } from "../../coordination/git/workspace.js";

/** Resolves true once entries arrived after `since`, false once `until` aborts. */
export type Arrivals = (until: AbortSignal, since: number) => Promise<boolean>;

/** Arrivals on the hub, looked for every `pollMs`. */
export function hubArrivals(ws: Workspace, pollMs: number): Arrivals {
  return async (until) => {
    const known = new Set(
      refNames(
        await ws.git.run([
          "for-each-ref",
          "--format=%(refname)",
          trackingQueuePrefix(ws),
        ]),
        trackingQueuePrefix(ws),
      ),
    );
    while (!until.aborted) {
      await sleep(pollMs, until).catch(() => undefined);
      if (until.aborted) break;
      const listed = await ws.git
        .tryRun(["ls-remote", ws.remote, `${HUB_QUEUE_REFS}*`], {
          timeoutMs: NETWORK_TIMEOUT_MS,
          signal: until,
        })
        .catch(() => undefined);
      // A hub that does not answer now may next time; the batch's own gate is not held up.
      if (listed === undefined || !listed.ok) continue;
      const names = refNames(
        listed.stdout.replace(/^\S+\t/gm, ""),
        HUB_QUEUE_REFS,
      );
      if (names.some((name) => !known.has(name))) return true;
    }
    return false;
  };
}

/** `task/claim` of each queue ref listed one per line under `prefix`. Pure. */
function refNames(listing: string, prefix: string): string[] {
  return listing.split("\n").flatMap((ref) => {
    const parsed = parseQueueRef(ref.trim(), prefix);
    return parsed ? [`${parsed.taskId}/${parsed.claimId}`] : [];
  });
}

/**
 * The first of several sources to report arrivals: true as soon as one does (the others are
 * stopped), false once all have said false.
 */
export function anyArrival(
  sources: readonly (Arrivals | undefined)[],
): Arrivals | undefined {
  const present = sources.filter((s): s is Arrivals => s !== undefined);
  if (present.length <= 1) return present[0];
  return async (until, since) => {
    const first = new AbortController();
    const signal = AbortSignal.any([until, first.signal]);
    try {
      return await new Promise<boolean>((resolve, reject) => {
        let pending = present.length;
        for (const source of present)
          source(signal, since).then((arrived) => {
            pending -= 1;
            if (arrived) resolve(true);
            else if (pending === 0) resolve(false);
          }, reject);
      });
    } finally {
      first.abort();
    }
  };
}
