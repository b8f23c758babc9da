/** Findings as the terminal shows them: one line per finding under its kind, then the fix. */
import { countFindings, formatCounts, type Finding } from "./findings.js";

/** Renders findings for a terminal. Pure. */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "coalesce: no findings\n";
  const lines = [
    `coalesce: ${findings.length} finding(s) — ${formatCounts(countFindings(findings))}`,
  ];
  let kind = "";
  for (const f of findings) {
    if (f.kind !== kind) {
      kind = f.kind;
      lines.push("", `${kind}:`);
    }
    lines.push(`  - ${f.detail}`, `    fix: ${f.fix}`);
  }
  return `${lines.join("\n")}\n`;
}
