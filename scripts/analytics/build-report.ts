/**
 * From parsed commits to the report: choose the lock folder, classify, replay tasks, compute the
 * figures. Pure: the same commits always give the same report.
 */
import { classifyCommit } from "./classify.js";
import type { CostFigures } from "./costs.js";
import type { QueueFigures } from "./queue.js";
import {
  agentFigures,
  classFigures,
  timeFigures,
  totalFigures,
} from "./figures.js";
import { chooseLocksDir } from "./history/locks-dir.js";
import { groupNearDuplicates } from "./near-duplicates.js";
import {
  REPORT_SCHEMA_VERSION,
  type AnalyticsReport,
  type NearDuplicateGroup,
} from "./report.js";
import { chooseBucket, histogram, summarize, type Bucket } from "./stats.js";
import {
  TASK_REF_PREFIX,
  isTaskRefRecord,
  taskFromRef,
  taskRefFigures,
} from "./task-refs.js";
import { replayTasks, type HoldInterval } from "./task-timeline.js";
import { hasSwarmTrailers } from "./history/trailers.js";
import { resolveIdentities } from "./history/identity.js";
import type { ClassifiedCommit, CommitRecord } from "./types.js";

/** What the report is about and how to cut it. */
export interface ReportOptions {
  repo: string;
  revisions: string;
  locksDir?: string;
  bucket?: Bucket | "auto";
  /** Records reached through refs under this prefix are task refs (default `refs/swarm/tasks/`). */
  taskRefPrefix?: string;
  /** The repository the task refs were read from, when not `repo` itself. */
  taskRefsRepo?: string;
  /** The cost figures of the run's event logs, when there are any. */
  costs?: CostFigures;
  /** The merge queue's figures from the same logs, when a run used it. */
  queue?: QueueFigures;
}

/**
 * Builds the report from commits in `git log` order (newest first). Records reached through a task
 * ref (`ref` under the prefix) feed the per-task figures; the rest is the analysed branch.
 */
export function buildReport(
  newestFirst: readonly CommitRecord[],
  options: ReportOptions,
): AnalyticsReport {
  const prefix = options.taskRefPrefix ?? TASK_REF_PREFIX;
  const locks = chooseLocksDir(
    newestFirst.filter((c) => !isTaskRefRecord(c, prefix)),
    options.locksDir,
  );
  const native = newestFirst.some((c) => hasSwarmTrailers(c.trailers));
  // git log lists children before parents (and newer before older across refs); replay needs the reverse.
  const oldestFirst = [...newestFirst].reverse();
  const classifiedAll = oldestFirst.map((c): ClassifiedCommit => {
    const classified = classifyCommit(c, { locksDir: locks.path, native });
    if (!isTaskRefRecord(c, prefix)) return classified;
    const task = classified.task ?? taskFromRef(c.ref ?? "", prefix);
    return { ...classified, task, onTaskRef: true };
  });
  // One person under two spellings or two emails is counted once.
  const canonical = resolveIdentities(
    classifiedAll.map((c, i) => {
      const record = oldestFirst[i];
      const human =
        record !== undefined &&
        !hasSwarmTrailers(record.trailers) &&
        c.agent === record.authorName;
      return human
        ? { name: c.agent, email: record.authorEmail }
        : { name: c.agent };
    }),
  );
  const everything = classifiedAll.map((c) => ({
    ...c,
    agent: canonical(c.agent),
  }));
  const commits = everything.filter((c) => c.onTaskRef !== true);
  const taskCommits = everything.filter((c) => c.onTaskRef === true);
  const timeline = replayTasks(everything, {
    taskRefTasks: new Set(taskCommits.flatMap((c) => c.task ?? [])),
  });
  const totals = totalFigures(commits);
  const first = commits.reduce((min, c) => Math.min(min, c.time), Infinity);
  const last = commits.reduce((max, c) => Math.max(max, c.time), -Infinity);
  const bucket = chooseBucket(
    options.bucket ?? "auto",
    commits.length ? first : 0,
    commits.length ? last : 0,
  );
  const perTask = [...timeline.commitsByTask.values()];
  const perTaskSummary = summarize(perTask);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    repo: options.repo,
    revisions: options.revisions,
    commits: commits.length,
    firstCommitAt: commits.length ? iso(first) : null,
    lastCommitAt: commits.length ? iso(last) : null,
    native,
    locksDir: {
      path: locks.path,
      detected: locks.source === "detected",
      source: locks.source,
    },
    coordinationTax: {
      commitShare: totals.commitShare,
      lineShare: totals.lineShare,
    },
    totals,
    byClass: classFigures(commits),
    agents: agentFigures(commits, timeline.claimsByAgent),
    overTime: { bucket, points: timeFigures(commits, bucket) },
    holdTimes: {
      ...summarize(timeline.holds),
      open: timeline.openClaims,
      histogram: histogram(timeline.holds),
    },
    claimToDone: summarize(timeline.claimToDone),
    duplicates: {
      extraClaims: timeline.duplicates.reduce(
        (sum, d) => sum + d.claims - 1,
        0,
      ),
      tasks: timeline.duplicates,
      nearDuplicates: nearDuplicates(timeline.claimers, timeline.intervals),
    },
    breaks: {
      count: timeline.breaks.length,
      forced: timeline.breaks.filter((b) => b.forced).length,
      list: timeline.breaks,
    },
    commitsPerTask: {
      tasks: perTask.length,
      mean: perTask.length
        ? Math.round(
            (perTask.reduce((s, n) => s + n, 0) / perTask.length) * 100,
          ) / 100
        : 0,
      p50: perTaskSummary.p50,
      p90: perTaskSummary.p90,
      p99: perTaskSummary.p99,
      min: perTaskSummary.min,
      max: perTaskSummary.max,
      top: [...timeline.commitsByTask]
        .map(([task, count]) => ({ task, commits: count }))
        .sort((a, b) => b.commits - a.commits || a.task.localeCompare(b.task))
        .slice(0, 10),
    },
    taskRefs: taskRefFigures(taskCommits, {
      refs: new Set(
        newestFirst.flatMap((c) => (isTaskRefRecord(c, prefix) ? [c.ref] : [])),
      ).size,
      branch: totals,
      prefix,
      repo: options.taskRefsRepo ?? options.repo,
    }),
    costs: options.costs ?? null,
    queue: options.queue ?? null,
  };
}

function nearDuplicates(
  claimers: ReadonlyMap<string, string[]>,
  intervals: ReadonlyMap<string, HoldInterval[]>,
): NearDuplicateGroup[] {
  return groupNearDuplicates([...claimers.keys()]).map((names) => {
    const agents = names.flatMap((n) => claimers.get(n) ?? []);
    const holds = names.flatMap((name) =>
      (intervals.get(name) ?? []).map((interval) => ({ name, ...interval })),
    );
    const concurrentClaims = holds.filter((claim) =>
      holds.some(
        (other) =>
          other.name !== claim.name &&
          other.start <= claim.start &&
          claim.start < other.end,
      ),
    ).length;
    return {
      names,
      claims: agents.length,
      agents: [...new Set(agents)].sort(),
      concurrentClaims,
    };
  });
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
