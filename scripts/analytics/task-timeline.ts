/**
 * Replays claims and their ends in commit order to get the per-task figures: lock hold times,
 * claim-to-done latency, duplicate claims, stale-lock breaks and commits per task. Pure.
 */
import { isSystemTaskId } from "../../coordination/progress/task.js";
import type { DuplicateTask, LockBreak } from "./report.js";
import type { ClassifiedCommit, CommitClass } from "./types.js";

interface OpenClaim {
  agent: string;
  claimId?: string;
  time: number;
  interval: HoldInterval;
}

/** When one claim held its lock: `end` is Infinity while it is still held. */
export interface HoldInterval {
  start: number;
  end: number;
}

/** What replaying the history yields; report.ts shapes it for output. */
export interface TaskTimeline {
  holds: number[];
  openClaims: number;
  claimToDone: number[];
  duplicates: DuplicateTask[];
  /** Every task name claimed, with its claimers in order. */
  claimers: Map<string, string[]>;
  /** Every claim's hold interval, per task name (near-duplicate names are compared by these). */
  intervals: Map<string, HoldInterval[]>;
  breaks: LockBreak[];
  commitsByTask: Map<string, number>;
  claimsByAgent: Map<string, number>;
}

const ENDS: ReadonlySet<CommitClass> = new Set<CommitClass>([
  "release",
  "done",
  "break",
  "block",
]);

/** How to replay: which tasks keep their coordination log on task refs. */
export interface ReplayOptions {
  /**
   * Tasks with a task ref: their claims and ends come from it alone, so the done or block commit
   * on main (the twin of the ref's marker) neither ends a claim again nor counts as a task commit.
   */
  taskRefTasks?: ReadonlySet<string>;
}

/**
 * Replays commits, oldest first. A claim's end is matched by claim id, else the oldest open claim.
 * Claim-to-done runs from a task's first claim to its first `done` commit (gitswarm), or in foreign
 * histories to its last release or done that no later claim follows. Recurring `swarm-` tasks on
 * task refs are claimed once per run by design: they are not duplicates.
 */
export function replayTasks(
  commits: readonly ClassifiedCommit[],
  options: ReplayOptions = {},
): TaskTimeline {
  const refTasks = options.taskRefTasks ?? new Set<string>();
  const open = new Map<string, OpenClaim[]>();
  const firstClaim = new Map<string, number>();
  const doneTasks = new Set<string>();
  // Foreign histories rarely say "done": a task's last release that no claim follows counts.
  const finalRelease = new Map<string, number>();
  const active = new Map<string, Set<string>>();
  const concurrent = new Map<string, number>();
  const result: TaskTimeline = {
    holds: [],
    openClaims: 0,
    claimToDone: [],
    duplicates: [],
    claimers: new Map(),
    intervals: new Map(),
    breaks: [],
    commitsByTask: new Map(),
    claimsByAgent: new Map(),
  };
  for (const commit of commits) {
    const { claims, ends } = taskEvents(commit, refTasks);
    if (commit.class === "break" && ends.length === 0)
      result.breaks.push(lockBreak(commit, "(unknown)", undefined));
    for (const task of claims) {
      const held = open.get(task) ?? [];
      if (held.length > 0)
        concurrent.set(task, (concurrent.get(task) ?? 0) + 1);
      const interval = { start: commit.time, end: Infinity };
      held.push({
        agent: commit.agent,
        claimId: commit.claimId,
        time: commit.time,
        interval,
      });
      result.intervals.set(task, [
        ...(result.intervals.get(task) ?? []),
        interval,
      ]);
      open.set(task, held);
      if (!firstClaim.has(task)) firstClaim.set(task, commit.time);
      finalRelease.delete(task);
      result.claimers.set(task, [
        ...(result.claimers.get(task) ?? []),
        commit.agent,
      ]);
      result.claimsByAgent.set(
        commit.agent,
        (result.claimsByAgent.get(commit.agent) ?? 0) + 1,
      );
      active.set(
        commit.agent,
        (active.get(commit.agent) ?? new Set()).add(task),
      );
    }
    const attributed =
      commit.task ??
      single(active.get(commit.agent)) ??
      (claims.length + ends.length === 1 ? [...claims, ...ends][0] : undefined);
    // A marker on a task ref twins the done or block commit on main, which is counted already.
    const twin =
      commit.onTaskRef === true &&
      (commit.class === "done" || commit.class === "block");
    if (attributed !== undefined && !twin)
      result.commitsByTask.set(
        attributed,
        (result.commitsByTask.get(attributed) ?? 0) + 1,
      );
    for (const task of ends) {
      const held = open.get(task) ?? [];
      const byId =
        commit.claimId === undefined
          ? -1
          : held.findIndex((c) => c.claimId === commit.claimId);
      const [claim] = held.splice(
        byId >= 0 ? byId : 0,
        held.length > 0 ? 1 : 0,
      );
      if (claim !== undefined) {
        result.holds.push(commit.time - claim.time);
        claim.interval.end = commit.time;
        active.get(claim.agent)?.delete(task);
      }
      if (
        commit.source !== "trailer" &&
        (commit.class === "release" || commit.class === "done")
      )
        finalRelease.set(task, commit.time);
      else if (commit.class === "done" && !doneTasks.has(task)) {
        doneTasks.add(task);
        const first = firstClaim.get(task);
        if (first !== undefined) result.claimToDone.push(commit.time - first);
      }
      if (commit.class === "break")
        result.breaks.push(lockBreak(commit, task, claim));
    }
  }
  for (const [task, time] of finalRelease) {
    const first = firstClaim.get(task);
    if (first !== undefined) result.claimToDone.push(time - first);
  }
  for (const held of open.values()) result.openClaims += held.length;
  for (const [task, agents] of result.claimers) {
    // One agent claiming its task again after letting it go is a retry, not duplicate work; two
    // agents, or a claim made while another was held, is.
    const duplicated =
      new Set(agents).size > 1 || (concurrent.get(task) ?? 0) > 0;
    if (duplicated && !(refTasks.has(task) && isSystemTaskId(task)))
      result.duplicates.push({
        task,
        claims: agents.length,
        agents,
        concurrentClaims: concurrent.get(task) ?? 0,
      });
  }
  result.duplicates.sort(
    (a, b) => b.claims - a.claims || a.task.localeCompare(b.task),
  );
  return result;
}

/** The tasks a commit claims and ends: from its trailers, or from the lock files it touched. */
function taskEvents(
  commit: ClassifiedCommit,
  refTasks: ReadonlySet<string>,
): {
  claims: string[];
  ends: string[];
} {
  if (
    commit.onTaskRef !== true &&
    commit.task !== undefined &&
    refTasks.has(commit.task)
  )
    return { claims: [], ends: [] };
  if (commit.source === "trailer") {
    const task = commit.task === undefined ? [] : [commit.task];
    if (commit.class === "claim") return { claims: task, ends: [] };
    return { claims: [], ends: ENDS.has(commit.class) ? task : [] };
  }
  return {
    claims: commit.lockEvents
      .filter((e) => e.kind === "create")
      .map((e) => e.task),
    ends: commit.lockEvents
      .filter((e) => e.kind === "delete")
      .map((e) => e.task),
  };
}

function lockBreak(
  commit: ClassifiedCommit,
  task: string,
  claim: OpenClaim | undefined,
): LockBreak {
  return {
    task,
    by: commit.agent,
    ...(claim ? { holder: claim.agent } : {}),
    at: new Date(commit.time * 1000).toISOString(),
    forced: commit.forced,
    ...(claim ? { heldFor: commit.time - claim.time } : {}),
  };
}

function single(tasks: Set<string> | undefined): string | undefined {
  return tasks?.size === 1 ? [...tasks][0] : undefined;
}
