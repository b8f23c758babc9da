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

/**
 * Says which `gitswarm run` is live in the checkout that `dir` belongs to (the checkout itself, or
 * the checkout whose `.gitswarm/workspaces/<agent>` it is); undefined when none is.
 */
export async function activeRun(dir: string): Promise<string | undefined> {
  const resolved = path.resolve(dir);
  const parts = resolved.split(path.sep);
  const at = parts.lastIndexOf(".gitswarm");
  const home =
    at > 0 && parts[at + 1] === "workspaces"
      ? parts.slice(0, at).join(path.sep)
      : resolved;
  const gitswarmDir = path.join(home, ".gitswarm");
  const live = await lockfile
    .check(gitswarmDir, {
      lockfilePath: path.join(gitswarmDir, "run.lock"),
      stale: 10_000,
      realpath: false,
    })
    .catch(() => false);
  return live ? `the gitswarm run in ${home}` : undefined;
}
