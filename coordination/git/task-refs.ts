/**
 * Per-task refs: each task's coordination log lives on the hub at `refs/swarm/tasks/<id>`, outside
 * `refs/heads/` so humans' clones and `git branch -a` never see it. A clone mirrors them under
 * `refs/gitswarm/<remote>/tasks/<id>`, fetched in the same `git fetch` as main.
 */

/** What naming a clone's mirror of the task refs needs: the hub remote's name (a Workspace has it). */
interface HubRemote {
  readonly remote: string;
}

/** Where task refs live on the hub. */
export const HUB_TASK_REFS = "refs/swarm/tasks/";

/** The hub ref of one task. */
export function hubTaskRef(taskId: string): string {
  return `${HUB_TASK_REFS}${taskId}`;
}

/** The prefix of the clone's mirror of every task ref of its hub remote. */
export function trackingTaskPrefix(ws: HubRemote): string {
  return `refs/gitswarm/${ws.remote}/tasks/`;
}

/** The clone's mirror of one task ref. */
export function trackingTaskRef(ws: HubRemote, taskId: string): string {
  return `${trackingTaskPrefix(ws)}${taskId}`;
}

/** The fetch refspec that mirrors every task ref of the hub into the clone. */
export function taskRefspec(ws: HubRemote): string {
  return `+${HUB_TASK_REFS}*:${trackingTaskPrefix(ws)}*`;
}
