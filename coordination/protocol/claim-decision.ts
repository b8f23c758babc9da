/**
 * Decides whether a task can be claimed, from plain data read off the hub. Pure: the claim loop
 * calls it again from scratch after every rejected push, so a lost race is seen as lost.
 */
import type { TaskRefState } from "../state/hub-view.js";
import type { Lock } from "../state/lock-file.js";
import type { ProgressDoc } from "../progress/parse.js";
import { validateProgress } from "../progress/validate.js";
import { isSystemTaskId, type Task } from "../progress/task.js";
import { agentLabel, ownsLock, type RunnerSelf } from "./lock-owner.js";

export type { RunnerSelf };

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

/**
 * `ok: true` carries the parent of the new lock commit (the task ref's commit, if any).
 * `stale`: the task ref is newer than the main we read (a done or blocked marker whose main
 * commit our main lacks): fetch again rather than reopen the task.
 */
export type ClaimDecision =
  | { ok: true; task: Task; parent: string | undefined }
  | { ok: "mine"; task: Task; lock: Lock }
  | { ok: "stale"; message: string }
  | ({ ok: false } & ClaimRefusal);

export interface ClaimInput {
  progress: ProgressDoc | undefined;
  archivedIds: readonly string[];
  /** The task's ref on the hub as read (undefined: never claimed). */
  taskRef: TaskRefState | undefined;
  taskId: string;
  agent: string;
  /** Who asks: the runner's id and host. A lock is resumable only by the runner that wrote it. */
  runner?: RunnerSelf;
  /** A recurring system task (`swarm-…`): not declared in PROGRESS.md, never closed by done. */
  recurring?: boolean;
}

/**
 * Checks, in order: PROGRESS.md usable, task known, the task ref readable and not newer than main,
 * not done or blocked, deps done, no live lock. PROGRESS.md on main decides done and blocked (a
 * human who unchecks a task reopens it); the task ref decides who holds it.
 */
export function decideClaim(input: ClaimInput): ClaimDecision {
  const { progress, taskId } = input;
  if (input.recurring === true || isSystemTaskId(taskId))
    return decideRecurring(input);
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
  const ref = input.taskRef;
  const lock = ref?.lock;
  if (lock !== undefined && !lock.ok) return badLock(taskId, lock);
  if (lock !== undefined && ownsLock(lock.lock, input))
    return { ok: "mine", task, lock: lock.lock };
  if (task.status === "done")
    return {
      ok: false,
      reason: "done",
      message: `task '${taskId}' is already done`,
    };
  if (lock !== undefined) return held(taskId, lock.lock, input);
  if (ref?.markerInMain === false) {
    return {
      ok: "stale",
      message: `task '${taskId}' is ${ref.marker?.state} at ${ref.marker?.main} on its ref, which the main we read does not contain yet`,
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
  return { ok: true, task, parent: ref?.commit };
}

/** A recurring task: claimable whenever no live lock is on its ref (a done marker does not close it). */
function decideRecurring(input: ClaimInput): ClaimDecision {
  const { taskId } = input;
  if (input.recurring !== true || !isSystemTaskId(taskId)) {
    return {
      ok: false,
      reason: "unknown-task",
      message: isSystemTaskId(taskId)
        ? `'${taskId}' is a recurring system task id (prefix 'swarm-'); only a recurring claim may take it`
        : `only ids starting with 'swarm-' can be claimed as recurring tasks, not '${taskId}'`,
    };
  }
  const task = recurringTask(taskId);
  const lock = input.taskRef?.lock;
  if (lock !== undefined && !lock.ok) return badLock(taskId, lock);
  if (lock !== undefined && ownsLock(lock.lock, input))
    return { ok: "mine", task, lock: lock.lock };
  if (lock !== undefined) return held(taskId, lock.lock, input);
  return { ok: true, task, parent: input.taskRef?.commit };
}

/** The task model of a recurring system task (it is not in PROGRESS.md). */
export function recurringTask(taskId: string): Task {
  return {
    id: taskId,
    title: taskId,
    status: "open",
    needs: [],
    tags: [],
    cases: [],
    notes: [],
    order: Number.MAX_SAFE_INTEGER,
    line: 0,
    endLine: 0,
  };
}

function badLock(
  taskId: string,
  lock: { file: string; line?: number; problem: string },
): ClaimDecision {
  return {
    ok: false,
    reason: "bad-lock",
    message: `${lock.file}:${lock.line ?? 1}: ${lock.problem} (on the hub's refs/swarm/tasks/${taskId}; remove it: gitswarm locks break ${taskId} --force --as NAME)`,
  };
}

function held(
  taskId: string,
  holder: Lock,
  input: Pick<ClaimInput, "agent" | "runner">,
): ClaimDecision {
  const where = `claim ${holder.claimId}, lease until ${holder.leaseUntil}`;
  let advice = "";
  if (holder.agent === input.agent && input.runner?.busy !== undefined)
    advice = `; ${input.runner.busy} holds it: stop that run first, or work through it`;
  else if (holder.agent === input.agent)
    advice = `; that claim was made by another runner${holder.runner === undefined ? "" : ` (${holder.runner})`}, not this checkout: wait for it, run 'gitswarm locks break ${taskId}' once its lease has run out, or take it over on purpose with --resume ${holder.claimId}`;
  return {
    ok: false,
    reason: "held",
    holder,
    message: `task '${taskId}' is held by ${agentLabel(holder)} (${where})${advice}`,
  };
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
