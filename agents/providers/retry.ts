/**
 * Retries with backoff for provider calls. The SDKs' own retries are off (`maxRetries: 0`) so that
 * every attempt is counted for usage, cost and budget here. A server's `retry-after` is honoured;
 * without one, exponential backoff with full jitter.
 */
import type { ProviderErrorClass } from "./provider-error.js";

/** How hard to retry. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `retry-after` longer than this is not waited out: the call fails as rate-limited until then. */
  maxWaitMs: number;
}

/** Defaults for real providers. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxWaitMs: 120_000,
};

/** The decision after a failed attempt. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/** Decides whether and when to retry after `attempt` (1-based) failed with `failure`; `random` in [0,1). */
export function decideRetry(
  failure: ProviderErrorClass,
  attempt: number,
  policy: RetryPolicy,
  random = Math.random(),
): RetryDecision {
  const retryable =
    failure.kind === "rate-limit" ||
    failure.kind === "server" ||
    failure.kind === "network";
  if (!retryable || attempt >= policy.maxAttempts) return { retry: false };
  const hinted = "retryAfterMs" in failure ? failure.retryAfterMs : undefined;
  if (hinted !== undefined)
    return hinted > policy.maxWaitMs
      ? { retry: false }
      : { retry: true, delayMs: hinted };
  const ceiling = Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * 2 ** (attempt - 1),
  );
  // Full jitter spreads many agents hitting the same limit, but never below half the ceiling.
  return {
    retry: true,
    delayMs: Math.round(ceiling / 2 + (random * ceiling) / 2),
  };
}

/** Waits `ms`, or rejects early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
