/**
 * Decides whether a task can be claimed, from plain data read off the hub. Pure: the claim loop
 * calls it again from scratch after every rejected push, so a lost race is seen as lost.
 */
import type { LockEntry } from "./hub-view.js";
import type { Lock } from "./lock-file.js";
import type { ProgressDoc } from "./progress-parse.js";
import { validateProgress } from "./progress-validate.js";
import type { Task } from "./task.js";

/** Why a task cannot be claimed now. `held` and `done` mean someone else got there first. */
export type ClaimRefusal =
  | { reason: "no-progress"; message: string }
  | { reason: "bad-progress"; message: string }
  | { reason: "unknown-task"; message: string }
  | { reason: "bad-lock"; message: string }
  | { reason: "done"; message: string }
  | { reason: "blocked"; message: string }
  | { reason: "needs"; missing: string[]; message: string }
  | { reason: "held"; holder: Lock; message: string };

export type ClaimDecision =
  | { ok: true; task: Task }
  | { ok: "mine"; task: Task; lock: Lock }
  | ({ ok: false } & ClaimRefusal);

export interface ClaimInput {
  progress: ProgressDoc | undefined;
  archivedIds: readonly string[];
  /** The lock file of this task on the hub, if any. */
  lock: LockEntry | undefined;
  taskId: string;
  agent: string;
}

/** Checks, in order: PROGRESS.md usable, task known, not done or blocked, deps done, no lock. */
export function decideClaim(input: ClaimInput): ClaimDecision {
  const { progress, taskId } = input;
  if (progress === undefined) {
    return {
      ok: false,
      reason: "no-progress",
      message: "the hub has no PROGRESS.md; run 'gitswarm init' and push it",
    };
  }
  const problems = validateProgress(progress, input.archivedIds);
  if (problems.length > 0) {
    const first = problems[0];
    return {
      ok: false,
      reason: "bad-progress",
      message: `${progress.file}:${first?.line}: ${first?.message} (fix PROGRESS.md on the hub)`,
    };
  }
  const task = progress.tasks.find((t) => t.id === taskId);
  if (task === undefined) {
    const archived = input.archivedIds.includes(taskId);
    if (archived)
      return {
        ok: false,
        reason: "done",
        message: `task '${taskId}' is done (archived)`,
      };
    return {
      ok: false,
      reason: "unknown-task",
      message: `no task '${taskId}' in PROGRESS.md; add it with 'gitswarm add ${taskId} "title"' first`,
    };
  }
  const lock = input.lock;
  if (lock !== undefined && !lock.ok) {
    return {
      ok: false,
      reason: "bad-lock",
      message: `${lock.file}:${lock.line ?? 1}: ${lock.problem} (repair it on the hub's main, or remove it: gitswarm locks break ${taskId} --force --as NAME)`,
    };
  }
  if (lock !== undefined && lock.lock.agent === input.agent)
    return { ok: "mine", task, lock: lock.lock };
  if (task.status === "done")
    return {
      ok: false,
      reason: "done",
      message: `task '${taskId}' is already done`,
    };
  if (lock !== undefined) {
    const holder = lock.lock;
    return {
      ok: false,
      reason: "held",
      holder,
      message: `task '${taskId}' is held by ${holder.agent} (claim ${holder.claimId}, lease until ${holder.leaseUntil})`,
    };
  }
  if (task.status === "blocked") {
    return {
      ok: false,
      reason: "blocked",
      message: `task '${taskId}' is blocked: ${task.blockedReason}. Remove its 'blocked:' line to reopen it.`,
    };
  }
  const missing = unfinishedNeeds(task, progress, input.archivedIds);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: "needs",
      missing,
      message: `task '${taskId}' needs ${missing.join(", ")} done first`,
    };
  }
  return { ok: true, task };
}

/** The dependencies of a task that are not done yet (archived tasks count as done). */
export function unfinishedNeeds(
  task: Task,
  progress: ProgressDoc,
  archivedIds: readonly string[],
): string[] {
  const done = new Set([
    ...archivedIds,
    ...progress.tasks.filter((t) => t.status === "done").map((t) => t.id),
  ]);
  return task.needs.filter((need) => !done.has(need));
}
