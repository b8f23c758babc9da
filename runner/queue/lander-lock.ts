/**
 * One lander per repo folder: the lander's clone (`.gitswarm/workspaces/lander`) is checked out,
 * reset and cleaned by whichever lander runs, so a second one in the same folder (a `gitswarm land`
 * beside a `gitswarm run`) would check out its batches under the first one's oracle. A proper-lockfile
 * lock on `.gitswarm/lander.lock` (stale 10 s after its holder stops refreshing it) keeps them
 * apart; the holder's pid, written beside it, lets a restart on this host take over at once from a
 * holder that was SIGKILLed instead of waiting for the lock to go stale.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import lockfile from "proper-lockfile";

/** A held local lander lock. */
export interface LocalLanderLock {
  release(): Promise<void>;
  /** Aborted when the lock was compromised (its refresh starved past `stale`): stop landing. */
  lost: AbortSignal;
}

/** Takes the folder's lander lock; undefined when a live lander holds it. */
export async function lockLocalLander(
  repoDir: string,
): Promise<LocalLanderLock | undefined> {
  const dir = path.join(repoDir, ".gitswarm");
  await mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, "lander.lock");
  const pidFile = path.join(dir, "lander.pid");
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const lost = new AbortController();
    try {
      // proper-lockfile keys its locks by the locked path: `.gitswarm` itself is the run's lock.
      const release = await lockfile.lock(path.join(dir, "lander"), {
        lockfilePath: lockPath,
        stale: 10_000,
        update: 2_000,
        retries: 0,
        realpath: false,
        // Compromised (a starved refresh): another lander may take the folder; stop, never crash.
        onCompromised: () => lost.abort(),
      });
      await writeFile(pidFile, `${process.pid} ${os.hostname()}\n`);
      return {
        lost: lost.signal,
        release: async () => {
          await rm(pidFile, { force: true });
          await release().catch(() => undefined);
        },
      };
    } catch {
      if (attempt > 0 || !(await holderIsGone(pidFile))) return undefined;
      // The holder died without releasing (SIGKILL): its lock goes; the retry takes it.
      await rm(lockPath, { recursive: true, force: true });
      await rm(pidFile, { force: true });
    }
  }
  return undefined;
}

/** Whether the pid file names a process of this host that no longer exists. */
async function holderIsGone(pidFile: string): Promise<boolean> {
  const text = await readFile(pidFile, "utf8").catch(() => undefined);
  const [pid, host] = (text ?? "").trim().split(" ");
  if (text === undefined || host !== os.hostname()) return false;
  const id = Number(pid);
  if (!Number.isInteger(id) || id <= 0) return false;
  try {
    process.kill(id, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
