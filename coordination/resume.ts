/**
 * Resuming: a task whose holder died keeps its work branch on the hub (heartbeats pushed snapshots
 * of even uncommitted work there). The next claimer starts from the most recent of those branches,
 * so no work is lost and none is redone.
 */
import { NETWORK_TIMEOUT_MS } from "./git.js";
import type { Lock } from "./lock-file.js";
import type { Workspace } from "./workspace.js";

export interface ResumePoint {
  branch: string;
  commit: string;
  /** Committer time of the branch tip (the last heartbeat or commit). */
  at: Date;
}

/** Finds the most recently pushed work branch of `taskId` on the hub (`swarm/<agent>/<task>`). */
export async function findResumePoint(
  ws: Workspace,
  taskId: string,
  signal?: AbortSignal,
): Promise<ResumePoint | undefined> {
  const ls = await ws.git.run(
    ["ls-remote", "--heads", ws.remote, `refs/heads/swarm/*/${taskId}`],
    { timeoutMs: NETWORK_TIMEOUT_MS, signal },
  );
  const branches = ls
    .split("\n")
    .map((line) => line.split("\t")[1]?.replace(/^refs\/heads\//, ""))
    .filter((b): b is string => b !== undefined && b.endsWith(`/${taskId}`));
  if (branches.length === 0) return undefined;
  const local = (b: string) => `refs/gitswarm/resume/${b}`;
  await ws.git.run(
    [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      ws.remote,
      ...branches.map((b) => `+refs/heads/${b}:${local(b)}`),
    ],
    {
      timeoutMs: NETWORK_TIMEOUT_MS,
      signal,
    },
  );
  const out = await ws.git.run([
    "for-each-ref",
    "--sort=-committerdate",
    "--format=%(refname)%09%(objectname)%09%(committerdate:unix)",
    ...branches.map(local),
  ]);
  const [first] = out.split("\n").filter(Boolean);
  const [ref, commit, seconds] = first?.split("\t") ?? [];
  if (ref === undefined || commit === undefined) return undefined;
  return {
    branch: ref.replace("refs/gitswarm/resume/", ""),
    commit,
    at: new Date(Number(seconds) * 1000),
  };
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
): Promise<ResumePoint | undefined> {
  const resume = await findResumePoint(ws, lock.task, signal);
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
