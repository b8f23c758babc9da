/**
 * PROGRESS.md drift, a pure function over the parsed file: done tasks not yet archived, a file
 * past its line budget, and one note repeated over and over (a retry loop writing the same
 * failure). Notes are never deleted by gitswarm: the fix is to archive (move) or fold by hand.
 */
import { archiveDoneTasks } from "../../../coordination/progress/archive.js";
import type { ProgressDoc } from "../../../coordination/progress/parse.js";
import type { Finding } from "../findings.js";

/** Limits from `coalesce.progress`. */
export interface ProgressLimits {
  maxLines: number;
  repeatedNotes: number;
}

/** The PROGRESS.md findings (`unarchived-done`, `notes-bloat`, `repeated-note`). Pure. */
export function findProgressDrift(
  progress: ProgressDoc,
  limits: ProgressLimits,
): Finding[] {
  const file = progress.file;
  const archivable = archiveDoneTasks(progress.source, "").ids;
  const unarchived = archivable.map((id): Finding => ({
    kind: "unarchived-done",
    task: id,
    files: [file],
    detail: `task ${id} is done but still in ${file}`,
    fix: "archive it: 'gitswarm archive' (the coalescer does it), which moves it with its notes to PROGRESS-archive.md",
  }));
  const lineCount = progress.source.endsWith("\n")
    ? progress.lines.length - 1
    : progress.lines.length;
  const bloat: Finding[] =
    lineCount > limits.maxLines
      ? [
          {
            kind: "notes-bloat",
            files: [file],
            detail: `${file} has ${lineCount} lines, over the budget of ${limits.maxLines} (coalesce.progress.maxLines); ${noteCount(progress)} are notes`,
            fix: "archive done tasks; move long-lived notes to DESIGN.md or an issue (notes are moved, never deleted)",
          },
        ]
      : [];
  return [
    ...unarchived,
    ...bloat,
    ...repeatedNotes(progress, limits.repeatedNotes),
  ];
}

function noteCount(progress: ProgressDoc): number {
  return progress.tasks.reduce((sum, task) => sum + task.notes.length, 0);
}

/** Notes whose text (whitespace-normalised, case-folded) appears at least `threshold` times. */
function repeatedNotes(progress: ProgressDoc, threshold: number): Finding[] {
  const seen = new Map<string, { text: string; tasks: string[] }>();
  for (const task of progress.tasks) {
    for (const note of task.notes) {
      const key = note.replace(/\s+/g, " ").trim().toLowerCase();
      if (key === "") continue;
      const entry = seen.get(key) ?? { text: note.trim(), tasks: [] };
      entry.tasks.push(task.id);
      seen.set(key, entry);
    }
  }
  return [...seen.values()]
    .filter((entry) => entry.tasks.length >= threshold)
    .map((entry) => {
      const tasks = [...new Set(entry.tasks)];
      return {
        kind: "repeated-note",
        files: [progress.file],
        ...(tasks.length === 1 ? { task: tasks[0] } : {}),
        detail: `the note '${entry.text.slice(0, 80)}' appears ${entry.tasks.length} times (${tasks.join(", ")})`,
        fix: "fold the copies into one note by hand, or archive the done tasks that carry them",
      };
    });
}
