/**
 * An agent's side of a pause: before it takes a new task it looks at the run's control file, and
 * while the run is paused it waits there (its current step is already over; a claim it holds from
 * before a respawn is its current step, and it goes on with that).
 */
import { readFileSync } from "node:fs";
import { sleep } from "../../coordination/git/backoff.js";
import { controlFile, readControl } from "./control-file.js";
import { parseControl } from "./control-state.js";

/** Whether the run is paused now (read from `runDir`'s control file). */
export function pausedReader(runDir: string): () => Promise<boolean> {
  return async () => (await readControl(runDir)).paused;
}

/**
 * Waits while `paused()` says so, calling `onPause` once when it starts waiting and `onResume` once
 * when it stops; returns at once when the run is not paused, or when `signal` aborts. Resolves
 * with whether it waited.
 */
export async function waitWhilePaused(
  paused: () => Promise<boolean>,
  signal: AbortSignal,
  hooks: { onPause(): void; onResume(): void; pollMs?: number },
): Promise<boolean> {
  if (!(await paused())) return false;
  hooks.onPause();
  while (!signal.aborted && (await paused()))
    await sleep(hooks.pollMs ?? 250, signal).catch(() => undefined);
  if (!signal.aborted) hooks.onResume();
  return true;
}

/** Whether a user stopped `agent` (read synchronously: a signal handler asks it). */
export function userStopped(runDir: string, agent: string): boolean {
  try {
    return (
      parseControl(readFileSync(controlFile(runDir), "utf8")).agents[agent]
        ?.stopped === true
    );
  } catch {
    return false;
  }
}
