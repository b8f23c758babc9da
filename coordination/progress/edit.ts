/**
 * Edits PROGRESS.md as text, touching only the lines an edit must: checking off a task rewrites
 * its head line and nothing else; a note is one inserted line. Everything a human wrote elsewhere
 * survives byte for byte. Each function takes the parsed document and returns the new source.
 */
import { UserError } from "../base/errors.js";
import type { ProgressDoc } from "./parse.js";
import type { Task } from "./task.js";

/** A task to append with `gitswarm add`. */
export interface NewTask {
  id: string;
  title: string;
  needs?: string[];
  tags?: string[];
  run?: string;
}

/**
 * Marks a task done: `- [ ]` becomes `- [x]` on its head line. A job's final figures (`result`)
 * go on one `result:` line (replacing an earlier one, e.g. from a reopened run), e.g.
 * `result: step 3000, loss 0.21`.
 */
export function checkOffTask(
  doc: ProgressDoc,
  id: string,
  result?: string,
): string {
  const task = findTask(doc, id);
  const lines = doc.lines.map((line, i) =>
    i === task.line - 1 ? line.replace(/\[ \]/, "[x]") : line,
  );
  if (result !== undefined) {
    const text = `${childIndent(doc, task)}- result: ${oneLine(result)}`;
    const existing = metaLine(doc, task, "result");
    if (existing === undefined) lines.splice(task.endLine, 0, text);
    else lines[existing - 1] = text;
  }
  return join(doc, lines);
}

/** Appends a `note:` item to a task (notes are one line; newlines in `text` are folded). */
export function addTaskNote(
  doc: ProgressDoc,
  id: string,
  text: string,
): string {
  return insertMeta(doc, findTask(doc, id), "note", text);
}

/** Marks a task blocked with a reason, replacing an earlier reason if there is one. */
export function blockTask(
  doc: ProgressDoc,
  id: string,
  reason: string,
): string {
  const task = findTask(doc, id);
  const existing = metaLine(doc, task, "blocked");
  if (existing === undefined) return insertMeta(doc, task, "blocked", reason);
  const lines = [...doc.lines];
  lines[existing - 1] =
    `${childIndent(doc, task)}- blocked: ${oneLine(reason)}`;
  return join(doc, lines);
}

/** Reopens a blocked task: removes its `blocked:` line (what a human does by hand). */
export function unblockTask(doc: ProgressDoc, id: string): string {
  const task = findTask(doc, id);
  const existing = metaLine(doc, task, "blocked");
  if (existing === undefined) return doc.lines.join(doc.eol);
  const lines = [...doc.lines];
  lines.splice(existing - 1, 1);
  return join(doc, lines);
}

/** Appends a task after the last task, else at the end of the `Tasks` section, else under a new `## Tasks` heading. */
export function appendTask(doc: ProgressDoc, task: NewTask): string {
  const item = [`- [ ] ${task.id}: ${oneLine(task.title)}`];
  if (task.needs && task.needs.length > 0)
    item.push(`  - needs: ${task.needs.join(", ")}`);
  if (task.tags && task.tags.length > 0)
    item.push(`  - tags: ${task.tags.join(", ")}`);
  if (task.run) item.push(`  - run: ${oneLine(task.run)}`);
  const last = doc.tasks.at(-1);
  const lines = [...doc.lines];
  if (last !== undefined) {
    lines.splice(last.endLine, 0, ...item);
    return join(doc, lines);
  }
  const section = findTasksSection(lines);
  if (section !== undefined) {
    // Under the heading `gitswarm init` wrote (or a human's): a second `## Tasks` would split the list.
    let end = section.end;
    while (end > section.heading + 1 && lines[end - 1]?.trim() === "") end -= 1;
    lines.splice(end, section.end - end, "", ...item, "");
    return join(doc, lines);
  }
  while (lines.length > 0 && lines.at(-1)?.trim() === "") lines.pop();
  lines.push(...(lines.length > 0 ? [""] : []), "## Tasks", "", ...item, "");
  return join(doc, lines);
}

/** The `Tasks` heading (any level, 0-based line) and where its section ends (next heading at its level or above). */
function findTasksSection(
  lines: readonly string[],
): { heading: number; end: number } | undefined {
  const heading = lines.findIndex((l) => /^#{1,6}\s+tasks\s*#*\s*$/i.test(l));
  if (heading < 0) return undefined;
  const level = /^#+/.exec(lines[heading] ?? "")?.[0].length ?? 2;
  let end = heading + 1;
  while (end < lines.length) {
    const next = /^(#{1,6})\s/.exec(lines[end] ?? "");
    if (next && (next[1]?.length ?? 7) <= level) break;
    end += 1;
  }
  return { heading, end };
}

/** The task with this id, or a UserError naming the file and the ids that exist. */
export function findTask(doc: ProgressDoc, id: string): Task {
  const task = doc.tasks.find((t) => t.id === id);
  if (task !== undefined) return task;
  const known = doc.tasks.map((t) => t.id);
  const hint =
    known.length > 0
      ? `known ids: ${known.slice(0, 20).join(", ")}`
      : "it declares no tasks yet";
  throw new UserError(
    "unknown-task",
    `no task '${id}' in ${doc.file} (${hint}). Add it with 'gitswarm add'.`,
  );
}

function insertMeta(
  doc: ProgressDoc,
  task: Task,
  key: string,
  value: string,
): string {
  const lines = [...doc.lines];
  lines.splice(
    task.endLine,
    0,
    `${childIndent(doc, task)}- ${key}: ${oneLine(value)}`,
  );
  return join(doc, lines);
}

function metaLine(
  doc: ProgressDoc,
  task: Task,
  key: string,
): number | undefined {
  const pattern = new RegExp(`^\\s*[-*+]\\s+${key}\\s*:`, "i");
  for (let line = task.line + 1; line <= task.endLine; line += 1) {
    if (pattern.test(doc.lines[line - 1] ?? "")) return line;
  }
  return undefined;
}

/** Nested items must start where the task's text starts (after `- `) to belong to it. */
function childIndent(doc: ProgressDoc, task: Task): string {
  const head = doc.lines[task.line - 1] ?? "";
  const marker = /^(\s*(?:[-*+]|\d+[.)])\s+)/.exec(head);
  return " ".repeat(marker?.[1]?.length ?? 2);
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, " ").trim();
}

function join(doc: ProgressDoc, lines: string[]): string {
  return lines.join(doc.eol);
}
