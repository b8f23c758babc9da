/**
 * Parses PROGRESS.md (GFM, via remark) into tasks, keeping each task's source lines so that edits
 * can touch only those lines. A task is a top-level task-list item `- [ ] id: Title`; its nested
 * items `key: value` carry metadata (needs, tags, run, gpu, blocked, note, cases); any other nested text
 * is kept as a note.
 */
import { remark } from "remark";
import remarkGfm from "remark-gfm";
import type { List, ListItem, Root, RootContent } from "mdast";
import { isTaskId, type Task } from "./task.js";

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
  problems: ProgressProblem[];
}

const parser = remark().use(remarkGfm);
const HEAD = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s*(.*)$/;
const ID_AND_TITLE = /^(\S+?)\s*:\s*(.*)$/;
const META =
  /^\s*(?:[-*+]|\d+[.)])\s+(needs|tags|run|gpu|blocked|note|cases)\s*:\s*(.*)$/i;
const BULLET = /^\s*(?:[-*+]|\d+[.)])\s+/;

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
  };
  const root = parser.parse(source) as Root;
  let section: string | undefined;
  for (const node of root.children) {
    if (node.type === "heading") section = headingText(node, lines);
    if (node.type !== "list") continue;
    for (const item of (node as List).children) {
      if (item.checked === null || item.checked === undefined) continue;
      const task = readTask(item, lines, doc, section);
      if (task) doc.tasks.push(task);
    }
  }
  return doc;
}

function readTask(
  item: ListItem,
  lines: string[],
  doc: ProgressDoc,
  section?: string,
): Task | undefined {
  const line = item.position?.start.line ?? 1;
  const endLine = item.position?.end.line ?? line;
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
  if (!isTaskId(id)) {
    doc.problems.push({
      line,
      message: `'${id}' is not a valid task id: use lowercase letters, digits, '.', '_' or '-' (at most 64)`,
    });
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
  for (const child of item.children)
    if (child.type === "list") readMetadata(child, lines, task, doc);
  if (task.status === "open" && task.blockedReason !== undefined)
    task.status = "blocked";
  return task;
}

function readMetadata(
  list: List,
  lines: string[],
  task: Task,
  doc: ProgressDoc,
): void {
  for (const item of list.children) {
    const start = item.position?.start.line ?? task.line;
    const end = item.position?.end.line ?? start;
    const text = lines.slice(start - 1, end).join(" ");
    const meta = META.exec(text);
    if (!meta) {
      task.notes.push(text.replace(BULLET, "").trim());
      continue;
    }
    const key = (meta[1] ?? "").toLowerCase();
    const value = collapse(meta[2] ?? "");
    if (key === "needs") task.needs.push(...splitList(value).map(stripMarkup));
    else if (key === "tags") task.tags.push(...splitList(value));
    else if (key === "run") task.run = stripCode(value);
    else if (key === "blocked") task.blockedReason = value;
    else if (key === "note") task.notes.push(value);
    else if (key === "cases")
      task.cases.push(...splitList(value).map(stripCode));
    else if (key === "gpu") {
      const count = Number(value);
      if (Number.isInteger(count) && count >= 0) task.gpu = count;
      else
        doc.problems.push({
          line: start,
          message: `gpu: expects a whole number of GPUs, got '${value}'`,
        });
    }
  }
}

function headingText(node: RootContent, lines: string[]): string {
  const line = lines[(node.position?.start.line ?? 1) - 1] ?? "";
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
