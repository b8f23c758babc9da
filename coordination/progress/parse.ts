/**
 * Parses PROGRESS.md (GFM block structure, via progress-blocks.ts) into tasks, keeping each task's
 * source lines so that edits can touch only those lines. A task is a top-level task-list item
 * `- [ ] id: Title`; its nested items `key: value` carry metadata (needs, tags, run, gpu, gpu-mem,
 * time-limit, accept, artifacts, result, blocked, reopen, note, cases, and the gates' empty, review, approve); job keys keep their lines for
 * validation (coordination/progress/job-spec.ts); any other nested text is kept as a note. Lines end at `\n` (or `\r\n`) only, as
 * in git: a lone CR is part of its line.
 */
import type { BlockItem } from "./block-types.js";
import { scanProgressBlocks } from "./blocks.js";
import type { JobFields } from "./job-spec.js";
import { declaredTaskIdProblem, type Task } from "./task.js";

/** A problem found in PROGRESS.md, located by line. */
export interface ProgressProblem {
  line: number;
  message: string;
}

/** A parsed PROGRESS.md: the source (for byte-exact edits), its tasks and any problems. */
export interface ProgressDoc {
  file: string;
  source: string;
  /** Source lines without their line terminators. */
  lines: string[];
  eol: "\n" | "\r\n";
  tasks: Task[];
  /** Task items that cannot be read as tasks (a bad id or head): no merge can place them. */
  problems: ProgressProblem[];
  /**
   * Items meant as tasks that are not tasks where they stand (`- [] id:`, a task in a quote or
   * nested in another item): errors for validation, ordinary text for the merge.
   */
  malformed: ProgressProblem[];
  /** Prose lines that look like a task but are not list items (`[ ] id: …`, `-[ ] id: …`). */
  warnings: ProgressProblem[];
}

// `s`: a lone CR (or U+2028) is text inside a line, and `.` must match it too.
const HEAD = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s*(.*)$/s;
const ID_AND_TITLE = /^(\S+?)\s*:\s*(.*)$/s;
const META =
  /^\s*(?:[-*+]|\d+[.)])\s+(needs|tags|run|gpu-mem|gpu|time-limit|accept|artifacts|result|blocked|reopen|note|cases|empty|review|approve)\s*:\s*(.*)$/is;
const BULLET = /^\s*(?:[-*+]|\d+[.)])\s+/;
/** A list item whose checkbox GFM does not read: `- []`, `- [  ]`, `- [x ]`. */
const BAD_CHECKBOX = /^\s*(?:[-*+]|\d+[.)])\s+\[\s*[xX]?\s*\]/;
/** Prose that reads like a task: `[ ] id: …`, `-[ ] id: …`, `* [x]id: …`. */
const TASK_LIKE_PROSE =
  /^\s*(?:[-*+]|\d+[.)])?\s*\[\s*[xX]?\s*\]\s*[*_`]*[a-z0-9][a-z0-9._-]*[*_`]*\s*:/;

/** Parses PROGRESS.md text. Never throws: malformed items become `problems` with line numbers. */
export function parseProgress(
  source: string,
  file = "PROGRESS.md",
): ProgressDoc {
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  const lines = source.split(/\r?\n/);
  const doc: ProgressDoc = {
    file,
    source,
    lines,
    eol,
    tasks: [],
    problems: [],
    malformed: [],
    warnings: [],
  };
  // micromark ends a line at a lone CR too; blanking it keeps its lines and ours the same.
  const structure = source.includes("\r")
    ? lines.map((line) => line.replace(/\r/g, " "))
    : lines;
  const { blocks, strays } = scanProgressBlocks(structure);
  let section: string | undefined;
  for (const block of blocks) {
    if (block.kind === "heading") section = headingText(lines, block.line);
    else if (block.kind === "paragraph") warnTaskLike(doc, block);
    else if (block.checked !== null) {
      const task = readTask(block, lines, doc, section);
      if (task) doc.tasks.push(task);
    } else if (BAD_CHECKBOX.test(lines[block.line - 1] ?? ""))
      doc.malformed.push({
        line: block.line,
        message:
          "this item's checkbox is not '[ ]' or '[x]', so it is not read as a task: write `- [ ] task-id: Title`",
      });
  }
  for (const stray of strays)
    doc.malformed.push({
      line: stray.line,
      message:
        stray.where === "blockquote"
          ? "a task inside a '>' quote is not read as a task: move it out of the quote (or drop its checkbox)"
          : "a nested checkbox item is not read as a task: un-indent it to column 0 to make it a task, or drop its checkbox",
    });
  return doc;
}

function warnTaskLike(
  doc: ProgressDoc,
  block: { line: number; endLine: number },
): void {
  for (let line = block.line; line <= block.endLine; line += 1)
    if (TASK_LIKE_PROSE.test(doc.lines[line - 1] ?? ""))
      doc.warnings.push({
        line,
        message:
          "this line looks like a task but is not a list item, so it is not read as one: write `- [ ] task-id: Title`",
      });
}

function readTask(
  item: BlockItem,
  lines: string[],
  doc: ProgressDoc,
  section?: string,
): Task | undefined {
  const { line, endLine } = item;
  const head = HEAD.exec(lines[line - 1] ?? "");
  const idAndTitle = ID_AND_TITLE.exec(head?.[2]?.trim() ?? "");
  if (!head || !idAndTitle) {
    doc.problems.push({
      line,
      message: "a task item must read `- [ ] task-id: Title`",
    });
    return undefined;
  }
  const id = stripMarkup(idAndTitle[1] ?? "");
  const idProblem = declaredTaskIdProblem(id);
  if (idProblem !== undefined) {
    doc.problems.push({ line, message: idProblem });
    return undefined;
  }
  const task: Task = {
    id,
    title: (idAndTitle[2] ?? "").trim(),
    status: head[1] === " " ? "open" : "done",
    needs: [],
    tags: [],
    cases: [],
    notes: [],
    order: doc.tasks.length,
    section,
    line,
    endLine,
  };
  for (const child of item.children) readMetadata(child, lines, task);
  if (task.status === "open" && task.blockedReason !== undefined)
    task.status = "blocked";
  return task;
}

function readMetadata(
  item: { line: number; endLine: number },
  lines: string[],
  task: Task,
): void {
  const start = item.line;
  const text = lines.slice(start - 1, item.endLine).join(" ");
  const meta = META.exec(text);
  if (!meta) {
    task.notes.push(text.replace(BULLET, "").trim());
    return;
  }
  const key = (meta[1] ?? "").toLowerCase();
  const value = collapse(meta[2] ?? "");
  if (key === "needs") task.needs.push(...splitList(value).map(stripMarkup));
  else if (key === "tags") task.tags.push(...splitList(value));
  else if (key === "blocked") task.blockedReason = value;
  else if (key === "reopen") task.reopen = value;
  else if (key === "note") task.notes.push(value);
  else if (key === "cases") task.cases.push(...splitList(value).map(stripCode));
  else if (key === "result") task.result = value;
  else if (key === "empty" || key === "review" || key === "approve")
    task.gates = { ...task.gates, [key]: { value, line: start } };
  else readJobField(task, key as JobKey, value, start);
}

type JobKey = keyof JobFields;

// Job keys are checked as a whole by validation (coordination/progress/job-spec.ts), each with its line.
function readJobField(
  task: Task,
  key: JobKey,
  value: string,
  line: number,
): void {
  const text = key === "run" ? stripCode(value) : value;
  task.job = { ...task.job, [key]: { value: text, line } };
  if (key === "run") task.run = text;
  const count = Number(value);
  if (key === "gpu" && /^\d+$/.test(value) && Number.isSafeInteger(count))
    task.gpu = count;
}

function headingText(lines: string[], at: number): string {
  const line = lines[at - 1] ?? "";
  return line.replace(/^#+\s*/, "").replace(/\s*#*\s*$/, "");
}

function splitList(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** `**lexer**` or `` `lexer` `` is still the id `lexer`: people emphasise ids in Markdown. */
function stripMarkup(value: string): string {
  return value.replace(/^[*_`]+|[*_`]+$/g, "");
}

function stripCode(value: string): string {
  const match = /^`(.*)`$/.exec(value);
  return match ? (match[1] ?? "") : value;
}

function collapse(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}
