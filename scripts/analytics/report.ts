/**
 * The AnalyticsReport schema: what `gitswarm analytics --json` prints and `analyzeRepository`
 * returns. Stable: fields are only ever added. Shares are fractions 0..1, durations whole seconds,
 * times ISO-8601 UTC. See scripts/analytics/README.md for the definitions behind each figure.
 */
import type { CostFigures } from "./costs.js";
import type { QueueFigures } from "./queue.js";
import type { Bucket, DurationSummary, HistogramBin } from "./stats.js";
import type { CommitClass } from "./types.js";

/** Schema version of the JSON output; bumped only if a field ever changes meaning. */
export const REPORT_SCHEMA_VERSION = 1;

/** Commits and changed lines of one slice of history, and how much of it is coordination. */
export interface TaxFigures {
  commits: number;
  coordinationCommits: number;
  substantiveCommits: number;
  lines: number;
  coordinationLines: number;
  commitShare: number;
  lineShare: number;
}

/** One agent (Swarm-Agent trailer, else first Co-authored-by, else the author name). */
export interface AgentFigures extends TaxFigures {
  agent: string;
  /** Substantive commits (done, work, coalesce, human) over all of this agent's commits. */
  substantiveRate: number;
  claims: number;
  done: number;
}

/** One time bucket. */
export interface TimePoint extends TaxFigures {
  /** Bucket start, ISO-8601 UTC. */
  start: string;
}

/** A task claimed more than once. */
export interface DuplicateTask {
  task: string;
  claims: number;
  /** Claimers in claim order, repeated when one agent claimed it again. */
  agents: string[];
  /** Claims made while an earlier claim on the task was still held (true double claims). */
  concurrentClaims: number;
}

/** Task names that are near-duplicates of each other (the same task claimed under two names). */
export interface NearDuplicateGroup {
  names: string[];
  claims: number;
  agents: string[];
  /** Claims made while a lock under another name of the group was held (the same work twice at once). */
  concurrentClaims: number;
}

/** One stale lock broken. */
export interface LockBreak {
  task: string;
  by: string;
  /** Who held the lock that was broken, when its claim is in the history. */
  holder?: string;
  at: string;
  forced: boolean;
  /** Seconds from the claim to the break, when the claim is in the history. */
  heldFor?: number;
}

/** The per-task coordination log on `refs/swarm/tasks/*` (gitswarm's layout; zeros elsewhere). */
export interface TaskRefFigures {
  /** The refs read, as a glob. */
  pattern: string;
  /** Where they were read: the analysed repository, or the embedded hub next to it; null: none. */
  repo: string | null;
  /** Task refs that have commits. */
  refs: number;
  /** Commits on the task refs. */
  commits: number;
  /** Claims, releases, breaks, blocks and heartbeats on the task refs (done markers are not). */
  coordinationCommits: number;
  byAction: {
    claims: number;
    releases: number;
    breaks: number;
    done: number;
    blocks: number;
    other: number;
  };
  /** Done markers: a task finished (a recurring `swarm-` task once per run). */
  doneTasks: number;
  /** coordinationCommits / doneTasks, two decimals; 0 when nothing is done. */
  coordinationPerDoneTask: number;
  /** The branch's tax had the task refs' coordination commits been on it (as the older layout did). */
  combinedCommitShare: number;
  /** Coordination commits per task ref, and the tasks with the most. */
  perTask: DurationSummaryLike & {
    tasks: number;
    top: Array<{
      task: string;
      coordinationCommits: number;
      claims: number;
      /** The task ref's last state: held, released, broken, done, blocked. */
      state: string;
    }>;
  };
}

/** The whole report. */
export interface AnalyticsReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  repo: string;
  /** What was analysed: a ref name, or `--all`. */
  revisions: string;
  /** Commits analysed. */
  commits: number;
  firstCommitAt: string | null;
  lastCommitAt: string | null;
  /** gitswarm trailers were found: untrailed commits are human edits. */
  native: boolean;
  locksDir: {
    path: string;
    detected: boolean;
    source: "option" | "default" | "detected" | "none";
  };
  coordinationTax: { commitShare: number; lineShare: number };
  totals: TaxFigures;
  byClass: Record<CommitClass, { commits: number; lines: number }>;
  agents: AgentFigures[];
  overTime: { bucket: Bucket; points: TimePoint[] };
  /** Claim to its release, done, break or block, per claim. `open`: claims never ended. */
  holdTimes: DurationSummary & { open: number; histogram: HistogramBin[] };
  /** A task's first claim to its done commit, per task done. */
  claimToDone: DurationSummary;
  duplicates: {
    /** Claims beyond the first, summed over tasks. */
    extraClaims: number;
    tasks: DuplicateTask[];
    nearDuplicates: NearDuplicateGroup[];
  };
  breaks: { count: number; forced: number; list: LockBreak[] };
  commitsPerTask: DurationSummaryLike & {
    tasks: number;
    top: Array<{ task: string; commits: number }>;
  };
  /**
   * Task refs read alongside the branch. When present, hold times, claim-to-done, duplicates,
   * breaks and claims per agent come from them; `coordinationTax` stays the branch's own.
   */
  taskRefs: TaskRefFigures;
  /** Spend, tokens and attempts from the runner's event logs; null when none was read. */
  costs: CostFigures | null;
  /**
   * The merge queue from the same event logs (batches, sizes, bisections, oracle runs per landed
   * task, queue wait p50/p90); null without an event log or when no run used the queue.
   */
  queue: QueueFigures | null;
}

/** Count statistics shaped like a DurationSummary (the same percentile rules, no unit). */
export type DurationSummaryLike = Omit<DurationSummary, "count">;
