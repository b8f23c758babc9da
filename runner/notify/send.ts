/**
 * Delivers one notification to one target, retrying with jittered backoff: a network error, a
 * timeout, a 429 or a 5xx is retried; any other answer is final. Returns what happened as a value
 * that names the target by its label, never by its URL.
 */
import { runProcess } from "../../coordination/base/spawn.js";
import { sleep } from "../../coordination/git/backoff.js";
import type { Delivery } from "./payload.js";

/** How one delivery ended. */
export type SendResult =
  { ok: true; tries: number } | { ok: false; tries: number; problem: string };

/** Retry settings (tests shorten them). */
export interface RetryPolicy {
  tries: number;
  baseMs: number;
  capMs: number;
  timeoutMs: number;
}

/** Four tries, 1 s doubling up to 15 s, 10 s per try. */
export const DEFAULT_RETRY: RetryPolicy = {
  tries: 4,
  baseMs: 1_000,
  capMs: 15_000,
  timeoutMs: 10_000,
};

/** Sends `delivery` to `url` (HTTP) or runs `command`; retries transient failures. */
export async function sendNotification(
  delivery: Delivery,
  where: { url?: string; command?: string; cwd: string },
  retry: RetryPolicy = DEFAULT_RETRY,
  random: () => number = Math.random,
): Promise<SendResult> {
  let problem = "not tried";
  for (let attempt = 1; attempt <= retry.tries; attempt++) {
    const outcome = await tryOnce(delivery, where, retry.timeoutMs);
    if (outcome.ok) return { ok: true, tries: attempt };
    problem = outcome.problem;
    if (!outcome.retry || attempt === retry.tries) break;
    // Half fixed, half jitter: spread out, but never retry at once.
    const delay = Math.min(retry.capMs, retry.baseMs * 2 ** (attempt - 1));
    await sleep(Math.round(delay / 2 + random() * (delay / 2)));
  }
  return { ok: false, tries: retry.tries, problem };
}

async function tryOnce(
  delivery: Delivery,
  where: { url?: string; command?: string; cwd: string },
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; retry: boolean; problem: string }> {
  if (delivery.via === "command") {
    const result = await runProcess(
      "/bin/sh",
      ["-c", where.command ?? "false"],
      {
        cwd: where.cwd,
        env: delivery.env,
        input: delivery.stdin,
        timeoutMs,
        maxOutputBytes: 64 * 1024,
      },
    );
    return result.exitCode === 0
      ? { ok: true }
      : {
          ok: false,
          retry: true,
          problem: result.timedOut
            ? "the command timed out"
            : `the command exited with ${result.exitCode ?? result.signal}`,
        };
  }
  try {
    const response = await fetch(where.url ?? "", {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    await response.body?.cancel();
    if (response.ok) return { ok: true };
    return {
      ok: false,
      retry: response.status === 429 || response.status >= 500,
      problem: `HTTP ${response.status}`,
    };
  } catch (error) {
    // The error's message may quote the URL: only its kind is kept.
    const name = (error as Error).name;
    const code = (error as { cause?: { code?: string } }).cause?.code ?? "";
    return {
      ok: false,
      retry: true,
      problem:
        name === "TimeoutError"
          ? "timed out"
          : `network error${code ? ` (${code})` : ""}`,
    };
  }
}
