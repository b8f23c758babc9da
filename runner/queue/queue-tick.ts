/**
 * The lander's tick: a file in the run's folder that the runner rewrites whenever the lander
 * settles a queued entry (landed, handed back, blamed, fenced). Agents waiting only for the queue
 * watch it with a `stat` instead of fetching the hub every few seconds: at 8 agents on 2 cores
 * those fetches (about two a second) took CPU from the lander they were waiting for. An agent
 * still looks at the hub after a bounded wait, for landers of other runners.
 */
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { sleep } from "../../coordination/git/backoff.js";

/** Queue phases after which a waiting agent should look at the hub again. */
const SETTLED = new Set(["land", "conflict", "culprit", "fenced", "gone"]);

/** Whether a lander's `queue` event phase changes what a waiting agent may take. Pure. */
export function settlesQueue(phase: string): boolean {
  return SETTLED.has(phase);
}

function tickFile(runDir: string): string {
  return path.join(runDir, "queue-tick");
}

/** Rewrites the tick (best effort: an agent that misses it looks again after its bounded wait). */
export async function touchQueueTick(runDir: string): Promise<void> {
  await writeFile(tickFile(runDir), `${Date.now()}\n`).catch(() => undefined);
}

/** Reads the tick's change time (0 when there is none yet). */
export function queueTickReader(runDir: string): () => Promise<number> {
  return async () =>
    (await stat(tickFile(runDir)).catch(() => undefined))?.mtimeMs ?? 0;
}

/**
 * Waits until the tick differs from `seen` (read before the agent last looked at the hub), at most
 * `maxMs`, looking every `pollMs`; resolves early when `signal` aborts.
 */
export async function waitForQueueTick(
  read: () => Promise<number>,
  seen: number,
  options: { maxMs: number; pollMs: number; signal: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + options.maxMs;
  while (!options.signal.aborted && Date.now() < deadline) {
    if ((await read()) !== seen) return;
    await sleep(
      Math.min(options.pollMs, Math.max(0, deadline - Date.now())),
      options.signal,
    ).catch(() => undefined);
  }
}
