/**
 * A circuit breaker per provider instance: after `threshold` calls in a row have failed (each after
 * its retries), the provider is not called again until `cooldownMs` has passed, so a swarm does not
 * spend thousands of sessions only hitting rate limits.
 */

/** Breaker state as the agent sees it. */
export type BreakerState = { open: false } | { open: true; until: number };

/** Counts consecutive failures; the clock is injectable for tests. */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(
    readonly threshold = 3,
    readonly cooldownMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether calls are refused right now, and until when. */
  state(): BreakerState {
    return this.now() < this.openUntil
      ? { open: true, until: this.openUntil }
      : { open: false };
  }

  /** Records a successful call: the count starts again. */
  recordSuccess(): void {
    this.failures = 0;
  }

  /** Records a failed call (after retries); returns true when this failure opened the breaker. */
  recordFailure(untilHint?: number): boolean {
    this.failures += 1;
    if (this.failures < this.threshold) return false;
    this.failures = 0;
    this.openUntil = Math.max(this.now() + this.cooldownMs, untilHint ?? 0);
    return true;
  }
}
