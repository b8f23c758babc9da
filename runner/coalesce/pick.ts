/**
 * Which finding the one code cleanup of a run goes after, and what the agent is told: a pure pick
 * (duplicated code first, then unused exports, files and dependencies, then the project's own),
 * skipping any finding whose files a live claim's work touches.
 */
import type { AgentTask } from "../../agents/types.js";
import { isJudged } from "./judge.js";
import type { Finding } from "./findings.js";

const PREFERENCE = [
  "duplicate-code",
  "unused-export",
  "unused-file",
  "unused-dependency",
];

/** The finding to clean up, or undefined when none is free of live claims' files. Pure. */
export function pickCleanupTarget(
  findings: readonly Finding[],
  claimedFiles: ReadonlySet<string>,
): Finding | undefined {
  const rank = (f: Finding) => {
    const i = PREFERENCE.indexOf(f.kind);
    return i < 0 ? PREFERENCE.length : i;
  };
  return findings
    .filter((f) => isJudged(f) && (f.files?.length ?? 0) > 0)
    .filter((f) => !(f.files ?? []).some((file) => claimedFiles.has(file)))
    .sort((a, b) => rank(a) - rank(b))[0];
}

/** The task an agent gets for the cleanup: the exact finding, its files, the rules. Pure. */
export function cleanupTask(
  taskId: string,
  target: Finding,
  claimedFiles: ReadonlySet<string>,
): AgentTask {
  const files = target.files ?? [];
  const excluded = [...claimedFiles].sort();
  return {
    id: taskId,
    title: `Coalesce: remove one ${target.kind} finding, preserving behaviour`,
    needs: [],
    tags: [],
    notes: [
      `Finding (${target.kind}${target.detector ? `, from detector ${target.detector}` : ""}): ${target.detail}`,
      `Files: ${files.join(", ")}`,
      ...(target.lines ? [`Lines: ${target.lines.join(", ")}`] : []),
      `Suggested fix: ${target.fix}`,
      "Preserve behaviour: every oracle case that passes now must still pass. Code that looks duplicated may differ in edge cases (NULL or undefined, empty input, errors, ordering): keep every such difference, or leave the code alone.",
      "Change only what removes this finding. Do not edit PROGRESS.md, locks/, the oracle's cases or baseline, or any file not needed for this change.",
      excluded.length > 0
        ? `Do not touch these files: tasks in progress are changing them: ${excluded.join(", ")}`
        : "No other task is changing files right now.",
      "The change lands only if the full oracle still passes and the duplicate/unused figures strictly improve with no new findings.",
    ],
  };
}
