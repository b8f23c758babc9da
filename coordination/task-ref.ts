/**
 * Per-task refs: each task's coordination log lives on the hub at `refs/swarm/tasks/<id>`, outside
 * `refs/heads/` so humans' clones and `git branch -a` never see it. A clone mirrors them under
 * `refs/gitswarm/<remote>/tasks/<id>`, fetched in the same `git fetch` as main.
 */
import type { Workspace } from "./workspace.js";

/** Where task refs live on the hub. */
export const HUB_TASK_REFS = "refs/swarm/tasks/";

/** Ids of recurring system tasks (the coalescer): not declared in PROGRESS.md, never closed by done. */
export const RECURRING_PREFIX = "swarm-";

/** The hub ref of one task. */
export function hubTaskRef(taskId: string): string {
  return `${HUB_TASK_REFS}${taskId}`;
}

/** The prefix of the clone's mirror of every task ref of its hub remote. */
export function trackingTaskPrefix(ws: Workspace): string {
  return `refs/gitswarm/${ws.remote}/tasks/`;
}

/** The clone's mirror of one task ref. */
export function trackingTaskRef(ws: Workspace, taskId: string): string {
  return `${trackingTaskPrefix(ws)}${taskId}`;
}

/** The fetch refspec that mirrors every task ref of the hub into the clone. */
export function taskRefspec(ws: Workspace): string {
  return `+${HUB_TASK_REFS}*:${trackingTaskPrefix(ws)}*`;
}

/** Whether an id names a recurring system task (`swarm-…`). */
export function isRecurringTaskId(taskId: string): boolean {
  return taskId.startsWith(RECURRING_PREFIX);
}
