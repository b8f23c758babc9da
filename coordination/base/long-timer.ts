/**
 * Timers for any duration. Node's `setTimeout` holds at most 2^31-1 ms (about 24.8 days); a longer
 * delay overflows and fires at once (a `time-limit: 30d` job was killed the moment it started, issue
 * 19). `setLongTimeout` schedules such a delay in chunks, so what validation accepts is what runs.
 */

/** The longest delay one Node timer can hold. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A pending long timeout: `clear` cancels it; `unref` lets the process exit while it waits. */
export interface LongTimeout {
  clear(): void;
  unref(): LongTimeout;
}

/**
 * Calls `fn` once `ms` milliseconds have passed, chaining timers of at most MAX_TIMER_MS. Each
 * chunk re-reads the clock (`now`), so a slow event loop never shortens the total.
 */
export function setLongTimeout(
  fn: () => void,
  ms: number,
  now: () => number = Date.now,
): LongTimeout {
  const due = now() + Math.max(0, ms);
  let timer: NodeJS.Timeout | undefined;
  let unrefed = false;
  let cleared = false;
  const arm = () => {
    const left = due - now();
    if (left <= 0) {
      fn();
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    if (unrefed) timer.unref();
  };
  // The first chunk is armed directly: a zero delay still runs asynchronously, as setTimeout does.
  timer = setTimeout(arm, Math.min(Math.max(0, ms), MAX_TIMER_MS));
  const handle: LongTimeout = {
    clear() {
      cleared = true;
      if (timer !== undefined) clearTimeout(timer);
    },
    unref() {
      unrefed = true;
      if (!cleared) timer?.unref();
      return handle;
    },
  };
  return handle;
}
