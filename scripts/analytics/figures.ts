/**
 * The coordination-tax figures over classified commits: totals, per class, per agent and per time
 * bucket. Pure; per-task figures are in task-timeline.ts.
 */
import { UserError } from "../../coordination/base/errors.js";
import type { AgentFigures, TaxFigures, TimePoint } from "./report.js";
import { bucketStart, nextBucket, type Bucket } from "./stats.js";
import {
  COMMIT_CLASSES,
  COORDINATION_CLASSES,
  SUBSTANTIVE_CLASSES,
  type ClassifiedCommit,
  type CommitClass,
} from "./types.js";

/** Running sums behind a TaxFigures. */
class Tally {
  commits = 0;
  coordinationCommits = 0;
  substantiveCommits = 0;
  lines = 0;
  coordinationLines = 0;

  add(commit: ClassifiedCommit): void {
    this.commits += 1;
    if (COORDINATION_CLASSES.has(commit.class)) this.coordinationCommits += 1;
    if (SUBSTANTIVE_CLASSES.has(commit.class)) this.substantiveCommits += 1;
    this.lines += commit.lines;
    this.coordinationLines += commit.coordinationLines;
  }

  figures(): TaxFigures {
    return {
      commits: this.commits,
      coordinationCommits: this.coordinationCommits,
      substantiveCommits: this.substantiveCommits,
      lines: this.lines,
      coordinationLines: this.coordinationLines,
      commitShare: ratio(this.coordinationCommits, this.commits),
      lineShare: ratio(this.coordinationLines, this.lines),
    };
  }
}

/** part / whole, 0 when there is no whole. */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** Totals over all commits. */
export function totalFigures(commits: readonly ClassifiedCommit[]): TaxFigures {
  const tally = new Tally();
  for (const c of commits) tally.add(c);
  return tally.figures();
}

/** Commits and lines per class; every class is present (zeros), so the schema does not vary. */
export function classFigures(
  commits: readonly ClassifiedCommit[],
): Record<CommitClass, { commits: number; lines: number }> {
  const result = Object.fromEntries(
    COMMIT_CLASSES.map((c) => [c, { commits: 0, lines: 0 }]),
  ) as Record<CommitClass, { commits: number; lines: number }>;
  for (const c of commits) {
    result[c.class].commits += 1;
    result[c.class].lines += c.lines;
  }
  return result;
}

/** Per-agent figures, most commits first (ties by name); claimers without commits included. */
export function agentFigures(
  commits: readonly ClassifiedCommit[],
  claimsByAgent: ReadonlyMap<string, number>,
): AgentFigures[] {
  const tallies = new Map<string, { tally: Tally; done: number }>();
  for (const c of commits) {
    const entry = tallies.get(c.agent) ?? { tally: new Tally(), done: 0 };
    entry.tally.add(c);
    if (c.class === "done") entry.done += 1;
    tallies.set(c.agent, entry);
  }
  // An agent whose claims all failed may have no commit on the branch, only on task refs.
  for (const agent of claimsByAgent.keys())
    if (!tallies.has(agent))
      tallies.set(agent, { tally: new Tally(), done: 0 });
  return [...tallies]
    .map(([agent, { tally, done }]) => {
      const figures = tally.figures();
      return {
        agent,
        ...figures,
        substantiveRate: ratio(figures.substantiveCommits, figures.commits),
        claims: claimsByAgent.get(agent) ?? 0,
        done,
      };
    })
    .sort((a, b) => b.commits - a.commits || a.agent.localeCompare(b.agent));
}

const MAX_BUCKETS = 5000;

/** Figures per time bucket, from the first commit's bucket to the last's, empty buckets included. */
export function timeFigures(
  commits: readonly ClassifiedCommit[],
  bucket: Bucket,
): TimePoint[] {
  if (commits.length === 0) return [];
  let first = Infinity;
  let last = -Infinity;
  for (const c of commits) {
    first = Math.min(first, c.time);
    last = Math.max(last, c.time);
  }
  const start = bucketStart(first, bucket);
  const tallies = new Map<number, Tally>();
  let count = 0;
  for (let t = start; t <= last; t = nextBucket(t, bucket)) {
    if (++count > MAX_BUCKETS) {
      throw new UserError(
        "bad-bucket",
        `--bucket ${bucket} gives more than ${MAX_BUCKETS} buckets for this history; use a wider one (day, week) or auto`,
      );
    }
    tallies.set(t, new Tally());
  }
  for (const c of commits) tallies.get(bucketStart(c.time, bucket))?.add(c);
  return [...tallies].map(([t, tally]) => ({
    start: new Date(t * 1000).toISOString(),
    ...tally.figures(),
  }));
}
