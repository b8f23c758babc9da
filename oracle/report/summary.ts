/**
 * The few lines humans and agents read after a run: what ran, the first failures with a one-line
 * reason each, and a last line `N passed, N failed` (`, N skipped` when any). Pure.
 */
import { formatDuration } from "../../coordination/base/duration.js";
import type { OracleReport } from "../types.js";

/** How many failures the summary lists before pointing at the detail files. */
export const SUMMARY_FAILURES = 5;
const REASON_CHARS = 160;

/** Formats the summary; the last line is always the counts line. */
export function formatOracleSummary(report: OracleReport): string {
  const lines: string[] = [headerLine(report)];
  if (report.staleRecordings.length > 0) {
    lines.push(
      `note: ${report.staleRecordings.length} stale recording(s) replaced by live reference runs; run 'gitswarm oracle record' to refresh`,
    );
  }
  const problems = report.cases.filter((c) => c.status === "failed");
  for (const failure of problems.slice(0, SUMMARY_FAILURES)) {
    lines.push(`FAIL ${failure.id}: ${truncate(failure.reason ?? "failed")}`);
  }
  if (problems.length > SUMMARY_FAILURES) {
    lines.push(
      `... and ${problems.length - SUMMARY_FAILURES} more failure(s): see --json or --junit FILE; 'gitswarm oracle diff CASE' shows one`,
    );
  }
  lines.push(formatCounts(report));
  return lines.join("\n");
}

/** The counts line: `N passed, N failed` and `, N skipped` when any were skipped. */
export function formatCounts(
  report: Pick<OracleReport, "passed" | "failed" | "skipped">,
): string {
  const base = `${report.passed} passed, ${report.failed} failed`;
  return report.skipped > 0 ? `${base}, ${report.skipped} skipped` : base;
}

function headerLine(report: OracleReport): string {
  const cached = report.cases.filter((c) => c.cached === true).length;
  const scope = report.sample
    ? `${report.cases.length} of ${report.total} cases (sample ${formatPercent(report.sample.fraction)}, seed "${report.sample.seed}")`
    : `${report.cases.length} cases`;
  const cache = cached > 0 ? `, ${cached} from cache` : "";
  return `oracle: ${scope}, ${report.jobs} jobs, ${formatDuration(report.durationMs)}${cache}`;
}

function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, " ");
  return oneLine.length <= REASON_CHARS
    ? oneLine
    : `${oneLine.slice(0, REASON_CHARS - 3)}...`;
}
