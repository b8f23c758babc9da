/** Jittered exponential backoff for retrying a contended push. */
import { setLongTimeout } from "../base/long-timer.js";

/** "Full jitter": a random delay in [0, min(cap, base·2^round)], so racers spread out. */
export function backoffDelayMs(
  round: number,
  baseMs = 25,
  capMs = 1_000,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** round));
}

/** Waits `ms`, or rejects early if the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setLongTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      timer.clear();
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
