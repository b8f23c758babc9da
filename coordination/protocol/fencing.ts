/**
 * Fencing: only the current claim may release or finish a task. The claim id in the lock at the tip
 * of the task's ref is the fencing token, checked here on fresh data; the hub enforces it again by
 * refusing the push unless the task ref is still that lock commit. A holder whose lock was broken
 * (and maybe re-claimed) is refused.
 */
import type { LockEntry } from "../state/hub-view.js";
import type { Lock } from "../state/lock-file.js";

export type FenceCheck =
  { ok: true; lock: Lock } | { ok: false; message: string; holder?: Lock };

/** Checks that the task's lock on the hub is still the claim `claimId`. Pure. */
export function checkFence(
  entry: LockEntry | undefined,
  taskId: string,
  claimId: string,
): FenceCheck {
  if (entry === undefined) {
    return {
      ok: false,
      message: `task '${taskId}' has no lock on the hub any more: the claim ${claimId} was broken or released`,
    };
  }
  if (!entry.ok)
    return {
      ok: false,
      message: `${entry.file}:${entry.line ?? 1}: ${entry.problem}`,
    };
  if (entry.lock.claimId !== claimId) {
    return {
      ok: false,
      holder: entry.lock,
      message: `task '${taskId}' is now held by ${entry.lock.agent} (claim ${entry.lock.claimId}), not by claim ${claimId}`,
    };
  }
  return { ok: true, lock: entry.lock };
}
