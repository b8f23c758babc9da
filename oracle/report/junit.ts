/** JUnit XML rendering of an oracle report, for CI test reporters. Pure. */
import type { OracleReport } from "../types.js";

/** Renders the report as one JUnit `<testsuite>`; each case is a `<testcase>` named by its id. */
export function renderJunit(
  report: OracleReport,
  suiteName = "gitswarm-oracle",
): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suiteName)}" tests="${report.cases.length}" failures="${report.failed}" skipped="${report.skipped}" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${report.cases.length}" failures="${report.failed}" errors="0" skipped="${report.skipped}" time="${seconds(report.durationMs)}">`,
  ];
  for (const result of report.cases) {
    const slash = result.id.lastIndexOf("/");
    const classname =
      slash === -1 ? "oracle" : result.id.slice(0, slash).replace(/\//g, ".");
    const open = `    <testcase classname="${xml(classname)}" name="${xml(result.id)}" time="${seconds(result.durationMs)}"`;
    if (result.status === "passed") {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    if (result.status === "skipped")
      lines.push(`      <skipped message="${xml(result.reason ?? "")}"/>`);
    else {
      const detail =
        result.expected !== undefined
          ? `--- expected\n${result.expected}\n--- actual\n${result.actual ?? ""}`
          : (result.reason ?? "");
      lines.push(
        `      <failure message="${xml(result.reason ?? "failed")}" type="oracle">${xml(detail)}</failure>`,
      );
    }
    lines.push("    </testcase>");
  }
  lines.push("  </testsuite>", "</testsuites>", "");
  return lines.join("\n");
}

/** Escapes text for XML attributes and content, dropping characters XML 1.0 cannot hold. */
export function xml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- removing exactly the control characters XML forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}
