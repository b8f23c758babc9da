/**
 * Budget checks, made before every model call so a task or run overshoots its budget by at most
 * one call: the next call is refused when what was spent plus what it is expected to cost would
 * pass the smallest applicable limit.
 */

/** The limits that apply to one attempt (task budget and what is left of the run budget). */
export interface BudgetLimits {
  taskUsd?: number;
  runUsdLeft?: number;
}

/** The verdict before a call. */
export type BudgetVerdict = { ok: true } | { ok: false; detail: string };

/**
 * The run's budget, one pool shared by all agents (see budget-pool.ts): reserve a call's expected
 * cost before making it, settle its real cost after.
 */
export interface BudgetPool {
  /** Reserves `expectedUsd` for this agent's next call, or refuses with the figures. */
  reserve(expectedUsd: number): Promise<BudgetVerdict>;
  /** Adds the call's real cost to the pool's spend and frees the reservation. */
  settle(actualUsd: number): Promise<void>;
  /** What is left for this agent: the limit less what was spent and what others reserved. */
  remaining(): Promise<number>;
}

/** The tightest dollar limit, or undefined when none applies. */
export function effectiveLimit(limits: BudgetLimits): number | undefined {
  const values = [limits.taskUsd, limits.runUsdLeft].filter(
    (v): v is number => v !== undefined,
  );
  return values.length === 0 ? undefined : Math.min(...values);
}

/**
 * Decides whether the next call may be made. `nextCallUsd` is the expected cost of that call (the
 * last call's cost, or an estimate from the prompt size before the first call).
 */
export function checkBudget(
  spentUsd: number,
  nextCallUsd: number,
  limits: BudgetLimits,
): BudgetVerdict {
  const limit = effectiveLimit(limits);
  if (limit === undefined) return { ok: true };
  if (spentUsd + nextCallUsd <= limit) return { ok: true };
  const which =
    limit === limits.runUsdLeft && limit !== limits.taskUsd
      ? "run budget left"
      : "task budget";
  return {
    ok: false,
    detail: `${which} $${limit.toFixed(4)}: spent $${spentUsd.toFixed(4)}, next call expected to cost about $${nextCallUsd.toFixed(4)}`,
  };
}

/**
 * Runs one call that cannot be stopped midway (a CLI run) against the run's pool: refused before it
 * starts when nothing is left, its real cost settled after. Without a pool, just runs it.
 */
export async function drawOnPool<T extends { usage: { costUsd: number } }>(
  pool: BudgetPool | undefined,
  run: () => Promise<T>,
  refuse: (detail: string) => T,
): Promise<T> {
  if (pool === undefined) return run();
  const reserved = await pool.reserve(0);
  if (!reserved.ok) return refuse(reserved.detail);
  let cost = 0;
  try {
    const outcome = await run();
    cost = outcome.usage.costUsd;
    return outcome;
  } finally {
    await pool.settle(cost);
  }
}
