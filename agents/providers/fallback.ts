/**
 * A fallback chain: when an agent fails in a way another provider could avoid (rate-limited, auth,
 * crashed — e.g. claude out of quota), the same request goes to the next agent in the chain.
 * Usage adds up over every agent tried; the task budget is shared by the chain.
 */
import {
  addUsage,
  type Agent,
  type AgentEvent,
  type WorkOutcome,
  type WorkRequest,
} from "../types.js";

/** Failures worth handing to another provider; budget, time-outs and aborts are not. */
export function shouldFallBack(outcome: WorkOutcome): boolean {
  return (
    outcome.kind === "failed" &&
    (outcome.error.kind === "rate-limited" ||
      outcome.error.kind === "auth" ||
      outcome.error.kind === "crashed")
  );
}

/** Wraps `primary` so that `fallbacks` are tried in order after a fallback-worthy failure. */
export function withFallback(
  primary: Agent,
  fallbacks: Agent[],
  onEvent?: (event: AgentEvent) => void,
): Agent {
  return {
    name: primary.name,
    kind: primary.kind,
    async work(request: WorkRequest) {
      let outcome = await primary.work(request);
      let from = primary.name;
      for (const next of fallbacks) {
        if (!shouldFallBack(outcome) || request.signal.aborted) break;
        const reason =
          outcome.kind === "failed" ? outcome.error.kind : outcome.kind;
        onEvent?.({ type: "fallback", agent: from, to: next.name, reason });
        const spent = outcome.usage;
        const taskUsd =
          request.budget.taskUsd === undefined
            ? undefined
            : Math.max(0, request.budget.taskUsd - spent.costUsd);
        const runUsdLeft =
          request.budget.runUsdLeft === undefined
            ? undefined
            : Math.max(0, request.budget.runUsdLeft - spent.costUsd);
        const result = await next.work({
          ...request,
          budget: {
            ...request.budget,
            ...(taskUsd !== undefined ? { taskUsd } : {}),
            ...(runUsdLeft !== undefined ? { runUsdLeft } : {}),
          },
        });
        outcome = { ...result, usage: addUsage(spent, result.usage) };
        from = next.name;
      }
      return outcome;
    },
  };
}
