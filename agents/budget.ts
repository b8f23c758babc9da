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
