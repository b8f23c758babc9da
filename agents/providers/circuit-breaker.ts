/**
 * A circuit breaker per provider endpoint: after `threshold` calls in a row have failed (each after
 * its retries), or when the provider said when its limit resets, it is not called again until then,
 * so a swarm does not spend thousands of sessions only hitting rate limits. Agents on the same
 * endpoint share one breaker through a {@link BreakerRegistry}.
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

  /** Opens the breaker until `until` (a provider's stated reset time); returns true if it was closed. */
  openUntilTime(until: number): boolean {
    const wasOpen = this.state().open;
    this.failures = 0;
    this.openUntil = Math.max(this.openUntil, until);
    return !wasOpen && this.state().open;
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

/** One breaker per key (provider endpoint and credentials), shared by every agent created with it. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    readonly threshold = 3,
    readonly cooldownMs = 5 * 60_000,
  ) {}

  /** The breaker for `key`, created on first use. */
  get(key: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(this.threshold, this.cooldownMs);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}
