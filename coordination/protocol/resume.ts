/**
 * Resuming: a task whose holder died keeps its work branch on the hub (heartbeats pushed snapshots
 * of even uncommitted work there). The next claimer starts from the most recent of those branches,
 * so no work is lost and none is redone. A blocked task a human reopened starts afresh from main on
 * a new branch instead; the blocked attempt's branch is kept, named in the task's notes.
 */
import { readHubBranches, type HubBranch } from "../git/hub-branches.js";
import type { Lock } from "../state/lock-file.js";
import type { Workspace } from "../git/workspace.js";

/** The latest earlier work on a task: a work branch on the hub and its tip. */
export type ResumePoint = HubBranch;

/** Finds the most recently pushed work branch of `taskId` on the hub (`swarm/<agent>/<task>`). */
export async function findResumePoint(
  ws: Workspace,
  taskId: string,
  signal?: AbortSignal,
  /** Only this branch (a fresh start resumes nothing but its own earlier heartbeats). */
  only?: string,
): Promise<ResumePoint | undefined> {
  const branches = await readHubBranches(
    ws,
    [only ?? `swarm/*/${taskId}`],
    signal,
  );
  return branches.find((b) => b.branch.endsWith(`/${taskId}`));
}

/**
 * Checks out the claim's work branch in the clone: from the latest earlier work on the task if
 * there is any, else from `start` (the claim commit). Uncommitted changes in the clone are discarded
 * — a workspace belongs to its agent, and its last heartbeat holds them.
 */
export async function checkoutWorkBranch(
  ws: Workspace,
  lock: Lock,
  start: string,
  signal?: AbortSignal,
  /** Start from `start` whatever earlier work there is (a reopened blocked task). */
  fresh = false,
): Promise<ResumePoint | undefined> {
  const resume = fresh
    ? await findResumePoint(ws, lock.task, signal, lock.branch)
    : await findResumePoint(ws, lock.task, signal);
  await ws.git.run([
    "checkout",
    "--quiet",
    "--force",
    "-B",
    lock.branch,
    resume?.commit ?? start,
  ]);
  await ws.git.run(["clean", "--quiet", "-fd"]);
  return resume;
}
