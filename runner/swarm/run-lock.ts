/** The run lock: one `gitswarm run` per repo at a time (proper-lockfile on .gitswarm/run.lock). */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { SwarmError } from "../../coordination/base/errors.js";

/** One runner per repo at a time; a runner killed with SIGKILL leaves a lock that goes stale in 10 s. */
export async function lockRun(repoDir: string): Promise<() => Promise<void>> {
  const dir = path.join(repoDir, ".gitswarm");
  await mkdir(dir, { recursive: true });
  try {
    const release = await lockfile.lock(dir, {
      lockfilePath: path.join(dir, "run.lock"),
      stale: 10_000,
      update: 2_000,
      retries: { retries: 12, minTimeout: 1_000, maxTimeout: 1_000 },
      realpath: false,
      // An event loop stalled past `stale` on a loaded machine makes the lock look compromised.
      // The lock only keeps a second runner from starting here; claims stay safe through the
      // hub's compare-and-swap, so losing it must not kill a run in the middle of landing work.
      onCompromised: () => undefined,
    });
    return () => release().catch(() => undefined);
  } catch (error) {
    throw new SwarmError(
      "already-running",
      `another gitswarm run is active in ${repoDir} (.gitswarm/run.lock); stop it first`,
      { cause: error },
    );
  }
}
