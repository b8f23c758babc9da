/**
 * The lander's decisions over plain data: which entries form the next batch (queue order, a size
 * that adapts — doubling after a green batch, halving after a red one, within `{ min, max }`), and
 * the bisection of a red batch in the style of Mergify: parts are tested on top of the part
 * already found green, and the last suspect is blamed from the failure already seen, never
 * retested alone. No git here: the test of a part is a callback.
 */

/** `queue.batch` from the config. */
export interface BatchLimits {
  min: number;
  max: number;
  /** How long fewer than `min` entries wait for more before they are gated anyway (0: never). */
  waitMs?: number;
}

/** Queue order: oldest first, ties by task id. Pure. */
export function queueOrder<T extends { queuedAt: string; task: string }>(
  entries: readonly T[],
): T[] {
  return [...entries].sort((a, b) =>
    a.queuedAt === b.queuedAt
      ? a.task.localeCompare(b.task)
      : a.queuedAt < b.queuedAt
        ? -1
        : 1,
  );
}

/** How many entries the next batch takes: all that wait, up to the current limit. Pure. */
export function batchSize(
  waiting: number,
  limit: number,
  limits: BatchLimits,
): number {
  const cap = Math.max(limits.min, Math.min(limits.max, limit));
  return Math.max(0, Math.min(waiting, cap));
}

/**
 * How long the lander holds off before gating `waiting` entries, the oldest queued at
 * `oldestQueuedAt`: 0 once `min` wait or the oldest has waited `waitMs`. Without it the first entry
 * of a burst is gated alone, and a full oracle run is spent on it while the rest queue up. Pure.
 */
export function lingerMs(
  waiting: number,
  oldestQueuedAt: string,
  now: number,
  limits: BatchLimits,
): number {
  const waitMs = limits.waitMs ?? 0;
  if (waiting === 0 || waiting >= limits.min || waitMs <= 0) return 0;
  const queued = Date.parse(oldestQueuedAt);
  // An unreadable time: waiting on it could be forever.
  if (Number.isNaN(queued)) return 0;
  return Math.max(0, queued + waitMs - now);
}

/** The limit after a batch: doubled when it landed green, halved when it was red. Pure. */
export function nextBatchLimit(
  limit: number,
  green: boolean,
  limits: BatchLimits,
): number {
  const next = green ? limit * 2 : Math.floor(limit / 2);
  return Math.max(limits.min, Math.min(limits.max, next));
}

/** What a bisection found: the green prefix to land, the culprit, and the entries not yet judged. */
export interface BisectOutcome<T, R> {
  /** Tested together on top of main and green: lands as one batch. */
  land: T[];
  /** The entry blamed, with the failing result that blames it. */
  culprit: { item: T; result: R } | undefined;
  /** Not judged: back to the front of the queue for the next batch. */
  requeue: T[];
  /** Oracle runs the bisection made. */
  tests: number;
}

/**
 * Bisects a batch known to fail (`failed` is that result). `test(prefix)` gates `prefix` applied
 * in order on main. Invariant: `land + suspects` is a tested, failing prefix, so the culprit's
 * failure was seen on exactly the tree that would have landed.
 */
export async function bisectBatch<T, R extends { ok: boolean }>(
  batch: readonly T[],
  failed: R,
  test: (prefix: T[]) => Promise<R>,
): Promise<BisectOutcome<T, R>> {
  let land: T[] = [];
  let suspects = [...batch];
  let requeue: T[] = [];
  let last = failed;
  let tests = 0;
  while (suspects.length > 1) {
    const half = Math.ceil(suspects.length / 2);
    const first = suspects.slice(0, half);
    const second = suspects.slice(half);
    const result = await test([...land, ...first]);
    tests += 1;
    if (result.ok) {
      land = [...land, ...first];
      suspects = second;
    } else {
      last = result;
      suspects = first;
      requeue = [...second, ...requeue];
    }
  }
  const [item] = suspects;
  return {
    land,
    culprit: item === undefined ? undefined : { item, result: last },
    requeue,
    tests,
  };
}

/** p50 and p90 of a list of numbers (nearest rank); undefined when empty. Pure. */
export function percentiles(
  values: readonly number[],
): { p50: number; p90: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p90: at(0.9) };
}
