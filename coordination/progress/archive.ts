/**
 * Bloat control for PROGRESS.md: moves done tasks, whole blocks byte for byte, into
 * PROGRESS-archive.md. Ids never change, so history analytics (which follow `Swarm-Task` trailers
 * and lock files) are unaffected, and archived ids still count as done for dependencies.
 */
import { parseProgress } from "./parse.js";
import type { Task } from "./task.js";

/** The archive's file name, next to PROGRESS.md. */
export const ARCHIVE_FILE = "PROGRESS-archive.md";

/** Options of `archiveDoneTasks`. */
export interface ArchiveOptions {
  /** Done tasks to leave in PROGRESS.md: the last `keep` in document order (default 0). */
  keep?: number;
  /** The heading the batch is appended under (default `Archived`); the CLI adds the date. */
  heading?: string;
}

/** The new PROGRESS.md, the new archive, and the ids moved (in document order). */
export interface ArchiveResult {
  progress: string;
  archived: string;
  ids: string[];
}

const ARCHIVE_INTRO = [
  "# PROGRESS archive",
  "",
  "Done tasks moved out of PROGRESS.md by `gitswarm archive`. Their ids stay taken and count as done.",
];

/**
 * Moves done tasks out of `source` and appends them to `archiveText` under one heading. A done
 * task that a task left in PROGRESS.md still needs stays, so PROGRESS.md keeps validating on its
 * own. Pure; with nothing to move, returns the inputs unchanged and `ids` empty.
 */
export function archiveDoneTasks(
  source: string,
  archiveText = "",
  options: ArchiveOptions = {},
): ArchiveResult {
  const doc = parseProgress(source);
  const moving = chooseTasks(doc.tasks, options.keep ?? 0);
  if (moving.length === 0)
    return { progress: source, archived: archiveText, ids: [] };
  const lines = [...doc.lines];
  const blocks: string[][] = [];
  for (const task of [...moving].reverse()) {
    const blank = (line: number) => (lines[line - 1] ?? "").trim() === "";
    // In a loose list a block sits between blank lines; take one with it so no gap doubles.
    const extra =
      blank(task.endLine + 1) && (task.line === 1 || blank(task.line - 1))
        ? 1
        : 0;
    blocks.unshift(lines.slice(task.line - 1, task.endLine));
    lines.splice(task.line - 1, task.endLine - task.line + 1 + extra);
  }
  const archiveEol =
    archiveText.includes("\r\n") || (archiveText === "" && doc.eol === "\r\n")
      ? "\r\n"
      : "\n";
  const existing =
    archiveText === "" ? ARCHIVE_INTRO : archiveText.split(/\r?\n/);
  while (existing.length > 0 && existing.at(-1)?.trim() === "") existing.pop();
  const batch = [
    "",
    `## ${options.heading ?? "Archived"}`,
    "",
    ...blocks.flat(),
    "",
  ];
  return {
    progress: lines.join(doc.eol),
    archived: [...existing, ...batch].join(archiveEol),
    ids: moving.map((task) => task.id),
  };
}

/** Ids of the tasks in an archive document (they count as done for `needs:`). */
export function readArchivedIds(archiveText: string): string[] {
  return parseProgress(archiveText, ARCHIVE_FILE).tasks.map((task) => task.id);
}

/** Done tasks past `keep`, minus any a remaining task needs (to a fixed point: needs chain). */
function chooseTasks(tasks: readonly Task[], keep: number): Task[] {
  const done = tasks.filter((task) => task.status === "done");
  const moving = new Set(
    done.slice(0, Math.max(0, done.length - keep)).map((task) => task.id),
  );
  for (let changed = true; changed;) {
    changed = false;
    for (const task of tasks) {
      if (moving.has(task.id)) continue;
      for (const need of task.needs) if (moving.delete(need)) changed = true;
    }
  }
  return tasks.filter((task) => moving.has(task.id));
}
