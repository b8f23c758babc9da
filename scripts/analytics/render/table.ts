/**
 * The terminal rendering of a report: a few aligned tables, plain text (no colour codes, so it
 * reads the same in a pipe, a CI log or a file).
 */
import { costTableLines } from "./cost-render.js";
import { queueTableLines } from "../queue.js";
import { alignRows, duration, percent } from "./text-format.js";
import type { AnalyticsReport } from "../report.js";
import { bucketLabel, type Bucket, type DurationSummary } from "../stats.js";
import { COMMIT_CLASSES } from "../types.js";

/** The report as terminal text: headline tax, classes, agents, time, locks and duplicates. */
export function formatAnalyticsTable(report: AnalyticsReport): string {
  const t = report.totals;
  const locks =
    report.taskRefs.refs > 0
      ? `locks on task refs ${report.taskRefs.pattern}`
      : `lock folder ${report.locksDir.path}/ (${report.locksDir.source})`;
  const out = [
    `Commit analytics — ${report.repo} (${report.revisions})`,
    `${report.commits} commits, ${report.firstCommitAt ?? "-"} .. ${report.lastCommitAt ?? "-"}; ${locks}`,
    `Coordination tax: ${percent(t.commitShare)} of commits (${t.coordinationCommits}/${t.commits}), ` +
      `${percent(t.lineShare)} of changed lines (${t.coordinationLines}/${t.lines})`,
    ...taskRefLines(report),
    "",
    ...alignRows([
      ["class", "commits", "share", "lines"],
      ...COMMIT_CLASSES.filter((c) => report.byClass[c].commits > 0).map(
        (c) => [
          c,
          String(report.byClass[c].commits),
          percent(
            report.commits ? report.byClass[c].commits / report.commits : 0,
          ),
          String(report.byClass[c].lines),
        ],
      ),
    ]),
    "",
    ...alignRows([
      [
        "agent",
        "commits",
        "coord",
        "tax",
        "line tax",
        "substantive",
        "claims",
        "done",
      ],
      ...report.agents.map((a) => [
        a.agent,
        String(a.commits),
        String(a.coordinationCommits),
        percent(a.commitShare),
        percent(a.lineShare),
        percent(a.substantiveRate),
        String(a.claims),
        String(a.done),
      ]),
    ]),
    "",
    ...alignRows([
      [
        `per ${bucketLabel(report.overTime.bucket)}${busy(report) > 12 ? " (latest 12)" : ""}`,
        "commits",
        "coord",
        "tax",
        "line tax",
      ],
      ...report.overTime.points
        .filter((p) => p.commits > 0)
        .slice(-12)
        .map((p) => [
          bucketTime(p.start, report.overTime.bucket),
          String(p.commits),
          String(p.coordinationCommits),
          percent(p.commitShare),
          percent(p.lineShare),
        ]),
    ]),
    "",
    ...alignRows([
      ["", "count", "p50", "p90", "p99", "max"],
      summaryRow("lock hold", report.holdTimes),
      summaryRow("claim → done", report.claimToDone),
    ]),
    `open claims ${report.holdTimes.open}; stale-lock breaks ${report.breaks.count} (forced ${report.breaks.forced}); ` +
      `commits per task p50 ${report.commitsPerTask.p50}, max ${report.commitsPerTask.max} over ${report.commitsPerTask.tasks} tasks`,
    ...duplicateLines(report),
    ...costTableLines(report.costs),
    ...queueTableLines(report.queue),
  ];
  return out.join("\n") + "\n";
}

/** The task refs' coordination log, when the history keeps one (gitswarm's layout). */
function taskRefLines(report: AnalyticsReport): string[] {
  const r = report.taskRefs;
  if (r.refs === 0) return [];
  const a = r.byAction;
  return [
    `Task refs (${r.pattern}): ${r.coordinationCommits} coordination commits on ${r.refs} refs ` +
      `(${a.claims} claims, ${a.releases} releases, ${a.breaks} breaks, ${a.blocks} blocks) for ${r.doneTasks} done ` +
      `→ ${r.coordinationPerDoneTask} per done task; on the branch they would make the tax ${percent(r.combinedCommitShare)}`,
  ];
}

/** A bucket's start in full: date and time, to the second for buckets under a minute. */
function bucketTime(iso: string, bucket: Bucket): string {
  if (bucket === "day" || bucket === "week") return iso.slice(0, 10);
  const seconds = ["5s", "15s", "30s"].includes(bucket);
  return iso.slice(0, seconds ? 19 : 16).replace("T", " ");
}

function busy(report: AnalyticsReport): number {
  return report.overTime.points.filter((p) => p.commits > 0).length;
}

function summaryRow(label: string, s: DurationSummary): string[] {
  return [
    label,
    String(s.count),
    duration(s.p50),
    duration(s.p90),
    duration(s.p99),
    duration(s.max),
  ];
}

function duplicateLines(report: AnalyticsReport): string[] {
  const { tasks, nearDuplicates, extraClaims } = report.duplicates;
  if (tasks.length === 0 && nearDuplicates.length === 0)
    return ["duplicate work: none"];
  return [
    `duplicate work: ${tasks.length} task(s) claimed more than once (${extraClaims} extra claims)`,
    ...tasks
      .slice(0, 10)
      .map(
        (d) =>
          `  ${d.task}: ${d.claims} claims by ${d.agents.join(", ")}${d.concurrentClaims ? ` (${d.concurrentClaims} while held)` : ""}`,
      ),
    ...nearDuplicates
      .slice(0, 10)
      .map(
        (g) =>
          `  near-duplicate names: ${g.names.join(" ~ ")} (${g.claims} claims by ${g.agents.join(", ")}` +
          `${g.concurrentClaims ? `; ${g.concurrentClaims} while another name was held` : ""})`,
      ),
  ];
}
