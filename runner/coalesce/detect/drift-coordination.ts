/**
 * Coordination drift, a pure function over the swarm state the coordination layer derives and the
 * work branches on the hub: work branches of done tasks still there, and locks that disagree with
 * PROGRESS.md (a lock on a task already done or blocked, a lock for a task nobody declared).
 */
import { isSystemTaskId } from "../../../coordination/progress/task.js";
import type { HubBranch } from "../../../coordination/git/hub-branches.js";
import type { SwarmState } from "../../../coordination/protocol/swarm-state.js";
import type { Finding } from "../findings.js";

/** The task a work branch `swarm/<agent>/<task>` is for, or undefined for other branches. */
export function taskOfBranch(branch: string): string | undefined {
  const match = /^swarm\/[^/]+\/([^/]+)$/.exec(branch);
  return match?.[1];
}

/** A work branch that may go: its task is done and its last push is older than the retention. */
export interface PrunableBranch {
  branch: string;
  commit: string;
  task: string;
}

/** `stale-work-branch` and `state-mismatch` findings, and the branches past retention. Pure. */
export function findCoordinationDrift(
  state: SwarmState,
  branches: readonly HubBranch[],
  options: { now: Date; retentionMs: number; retention: string },
): { findings: Finding[]; prunable: PrunableBranch[] } {
  const findings: Finding[] = [];
  const prunable: PrunableBranch[] = [];
  const byId = new Map(state.tasks.map((t) => [t.task.id, t]));
  const done = new Set([
    ...state.archivedIds,
    ...state.tasks
      .filter((t) => t.task.status === "done")
      .map((t) => t.task.id),
  ]);
  // A recurring task's branch is finished once no live lock works on it (each run has its own name).
  const liveBranches = new Set(
    state.locks.flatMap((l) => (l.entry.ok ? [l.entry.lock.branch] : [])),
  );
  for (const b of branches) {
    const task = taskOfBranch(b.branch);
    if (task === undefined || liveBranches.has(b.branch)) continue;
    const system = isSystemTaskId(task);
    if ((!done.has(task) && !system) || byId.get(task)?.holder) continue;
    const ageMs = options.now.getTime() - b.at.getTime();
    const due = ageMs >= options.retentionMs;
    if (due) prunable.push({ branch: b.branch, commit: b.commit, task });
    findings.push({
      kind: "stale-work-branch",
      task,
      detail: `work branch ${b.branch} of ${system ? "finished system task" : "done task"} ${task} is still on the hub (last push ${b.at.toISOString()})`,
      fix: due
        ? `prune it: its work is in main (the coalescer deletes it; retention ${options.retention} has passed)`
        : `nothing yet: the coalescer prunes it once its last push is ${options.retention} old (coalesce.retention)`,
    });
  }
  for (const t of state.tasks) {
    if (t.holder === undefined || t.task.status === "open") continue;
    findings.push({
      kind: "state-mismatch",
      task: t.task.id,
      detail: `${t.holder.agent} holds a lock on ${t.task.id}, which PROGRESS.md marks ${t.task.status}`,
      fix: `ask ${t.holder.agent} to release it, or break it: gitswarm locks break ${t.task.id} --force`,
    });
  }
  const declared = new Set([...byId.keys(), ...state.archivedIds]);
  for (const l of state.locks) {
    if (!l.entry.ok) continue;
    const task = l.entry.lock.task;
    if (declared.has(task) || isSystemTaskId(task)) continue;
    findings.push({
      kind: "state-mismatch",
      task,
      detail: `${l.entry.lock.agent} holds a lock on ${task}, which PROGRESS.md does not declare`,
      fix: `add the task (gitswarm add ${task} "Title") or break the lock: gitswarm locks break ${task} --force`,
    });
  }
  return { findings, prunable };
}
