/**
 * Words for an outcome: one line for humans (status views, logs) and a paragraph for the model of
 * the next attempt (`context.previousFailure`), which needs to know what to do differently.
 */
import type { WorkOutcome } from "./types.js";

function dollars(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** One line: what happened and what it cost, e.g. `failed (rate-limited until …), 3 calls, $0.0123`. */
export function describeOutcome(outcome: WorkOutcome): string {
  const cost = `${outcome.usage.calls} call(s), ${outcome.usage.inputTokens} in / ${outcome.usage.outputTokens} out tokens, ${dollars(outcome.usage.costUsd)}`;
  if (outcome.kind === "finished")
    return `finished: ${outcome.summary} (${cost})`;
  if (outcome.kind === "gave-up") return `gave up: ${outcome.reason} (${cost})`;
  const e = outcome.error;
  const why =
    e.kind === "rate-limited"
      ? `rate-limited${e.until ? ` until ${e.until}` : ""}`
      : e.kind === "aborted"
        ? "aborted"
        : `${e.kind}${e.detail ? `: ${e.detail}` : ""}`;
  return `failed (${why}) (${cost})`;
}

/** The text for the next attempt's prompt, or undefined when the failure says nothing about the task. */
export function previousFailureForPrompt(
  outcome: WorkOutcome,
): string | undefined {
  if (outcome.kind === "gave-up")
    return `The previous attempt gave up: ${outcome.reason}`;
  if (outcome.kind !== "failed") return undefined;
  const e = outcome.error;
  if (e.kind === "timed-out") {
    return `The previous attempt ran out of time or turns (${e.detail ?? "limit reached"}). Work in smaller steps and call finish as soon as the task is done and verified.`;
  }
  if (e.kind === "budget-exceeded") {
    return `The previous attempt ran out of budget (${e.detail ?? "limit reached"}). Read only what you need and keep tool outputs small.`;
  }
  if (e.kind === "crashed") return `The previous attempt crashed: ${e.detail}`;
  // Rate limits, auth and aborts are the provider's or the runner's business, not the task's.
  return undefined;
}
