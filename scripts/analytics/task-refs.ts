/**
 * The coordination log gitswarm keeps off the product branch: one ref per task
 * (`refs/swarm/tasks/<id>`) whose commits are the task's claims, releases, breaks and its done or
 * blocked marker. Pure: which records are on task refs, and the per-task coordination figures.
 */
import { ratio } from "./figures.js";
import type { TaskRefFigures, TaxFigures } from "./report.js";
import { summarize } from "./stats.js";
import {
  COORDINATION_CLASSES,
  type ClassifiedCommit,
  type CommitClass,
  type CommitRecord,
} from "./types.js";

/** Where gitswarm keeps task refs, and the glob `git log` reads them with. */
export const TASK_REF_PREFIX = "refs/swarm/tasks/";

/** The `git log` glob for the task refs under a prefix. */
export function taskRefGlob(prefix: string = TASK_REF_PREFIX): string {
  return `${prefix}*`;
}

/** True when `git log` reached the record through a task ref. */
export function isTaskRefRecord(
  record: CommitRecord,
  prefix: string = TASK_REF_PREFIX,
): boolean {
  return record.ref?.startsWith(prefix) === true;
}

/** The task id a task ref names: `refs/swarm/tasks/lexer` → `lexer`. */
export function taskFromRef(
  ref: string,
  prefix: string = TASK_REF_PREFIX,
): string {
  return ref.slice(prefix.length);
}

const STATES: Partial<Record<CommitClass, string>> = {
  claim: "held",
  release: "released",
  break: "broken",
  done: "done",
  block: "blocked",
};

/**
 * The per-task coordination figures from the classified task-ref commits (oldest first). Done
 * markers are not coordination: each pairs with the done commit on main that carries the work.
 * `branch` is the analysed branch's totals, for the share the tax would be with the task refs on it.
 */
export function taskRefFigures(
  taskCommits: readonly ClassifiedCommit[],
  where: { refs: number; branch: TaxFigures; prefix: string; repo?: string },
): TaskRefFigures {
  const { refs, branch, prefix } = where;
  const byAction = {
    claims: 0,
    releases: 0,
    breaks: 0,
    done: 0,
    blocks: 0,
    other: 0,
  };
  const tasks = new Map<
    string,
    { coordination: number; claims: number; last: CommitClass }
  >();
  let coordination = 0;
  for (const commit of taskCommits) {
    const counted = COORDINATION_CLASSES.has(commit.class);
    if (counted) coordination += 1;
    if (commit.class === "claim") byAction.claims += 1;
    else if (commit.class === "release") byAction.releases += 1;
    else if (commit.class === "break") byAction.breaks += 1;
    else if (commit.class === "done") byAction.done += 1;
    else if (commit.class === "block") byAction.blocks += 1;
    else byAction.other += 1;
    const task = commit.task ?? "(unknown)";
    const entry = tasks.get(task) ?? {
      coordination: 0,
      claims: 0,
      last: commit.class,
    };
    entry.coordination += counted ? 1 : 0;
    entry.claims += commit.class === "claim" ? 1 : 0;
    entry.last = commit.class;
    tasks.set(task, entry);
  }
  const perTask = [...tasks.values()].map((t) => t.coordination);
  const summary = summarize(perTask);
  return {
    pattern: taskRefGlob(prefix),
    repo: refs > 0 ? (where.repo ?? null) : null,
    refs,
    commits: taskCommits.length,
    coordinationCommits: coordination,
    byAction,
    doneTasks: byAction.done,
    coordinationPerDoneTask:
      byAction.done === 0
        ? 0
        : Math.round((coordination / byAction.done) * 100) / 100,
    combinedCommitShare: ratio(
      branch.coordinationCommits + coordination,
      branch.commits + coordination,
    ),
    perTask: {
      tasks: tasks.size,
      mean: perTask.length
        ? Math.round(
            (perTask.reduce((s, n) => s + n, 0) / perTask.length) * 100,
          ) / 100
        : 0,
      p50: summary.p50,
      p90: summary.p90,
      p99: summary.p99,
      min: summary.min,
      max: summary.max,
      top: [...tasks]
        .map(([task, t]) => ({
          task,
          coordinationCommits: t.coordination,
          claims: t.claims,
          state: STATES[t.last] ?? t.last,
        }))
        .sort(
          (a, b) =>
            b.coordinationCommits - a.coordinationCommits ||
            a.task.localeCompare(b.task),
        )
        .slice(0, 10),
    },
  };
}
