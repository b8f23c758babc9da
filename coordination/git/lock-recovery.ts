/**
 * Recovers from lock files left by a killed git process. Git holds a ref or index lock for
 * milliseconds; one older than a second belongs to a process that died holding it (e.g. an agent
 * SIGKILLed mid-fetch), and would otherwise wedge the clone forever.
 */
import { stat, unlink } from "node:fs/promises";
import path from "node:path";
import type { GitResult } from "./git.js";

const STALE_AFTER_MS = 1_000;
const GIVE_UP_AFTER_MS = 5_000;

/** Runs a git step; if it failed on a leftover `*.lock` file, removes the stale lock and retries. */
export async function retryOnStaleGitLock(
  dir: string,
  step: () => Promise<GitResult>,
): Promise<GitResult> {
  const deadline = Date.now() + GIVE_UP_AFTER_MS;
  for (;;) {
    const result = await step();
    const lockFile = result.ok
      ? undefined
      : leftoverLockFile(result.stderr, dir);
    if (lockFile === undefined || Date.now() > deadline) return result;
    const age = await ageMs(lockFile);
    if (age === undefined) continue;
    if (age > STALE_AFTER_MS) await unlink(lockFile).catch(() => undefined);
    else
      await new Promise((resolve) =>
        setTimeout(resolve, STALE_AFTER_MS - age + 10),
      );
  }
}

/** Finds the path of the lock file git complained about, if that is why it failed. */
export function leftoverLockFile(
  stderr: string,
  dir: string,
): string | undefined {
  const match =
    /Unable to create '([^']+\.lock)': File exists/.exec(stderr) ??
    /cannot lock ref '[^']+': Unable to create '([^']+\.lock)'/.exec(stderr);
  const file = match?.[1];
  if (file === undefined) return undefined;
  return path.isAbsolute(file) ? file : path.join(dir, file);
}

async function ageMs(file: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}
