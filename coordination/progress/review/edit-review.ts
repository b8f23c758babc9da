/**
 * Is a human's edit of PROGRESS.md safe to send to the swarm as it is? Pure: three parsed
 * documents in — `base` (the text both the user's file and the hub last agreed on), `theirs` (the
 * user's file now) and `hub` (the hub's main now) — and the findings out. An edit that looks like
 * an accident rather than an intent is held until the human confirms it (`gitswarm progress
 * accept`) or edits again: a file cut off mid-line (a half-written save), no task list left, the
 * `## Tasks` heading gone, many tasks deleted or rewritten at once, or a task done on the hub
 * unchecked again without the `reopen:` form (an editor's stale buffer saved over the check-off).
 */
import type { ProgressDoc } from "../parse.js";
import type { Task } from "../task.js";
import { findRenames } from "./renames.js";

/** One thing that looked wrong, with the ids it concerns and a sentence for the human. */
export type EditFinding =
  | { kind: "cut-off"; message: string }
  | { kind: "no-tasks"; message: string }
  | { kind: "no-tasks-heading"; message: string }
  | { kind: "many-changed"; tasks: string[]; message: string }
  | { kind: "reverts-done"; tasks: string[]; message: string };

/** The verdict: `hold` when any finding stands (the edit is not pushed until confirmed). */
export interface EditReview {
  hold: boolean;
  findings: EditFinding[];
}

/** Deleting or rewriting at least this many tasks at once, and at least a third of them, is held. */
export const MANY_TASKS = 3;
const TASKS_HEADING = /^ {0,3}#{1,6}\s+tasks\s*#*\s*$/i;

/** Reviews the human's edit `theirs` of `base` against the hub's `hub` (see the file header). */
export function reviewEdit(
  base: ProgressDoc,
  theirs: ProgressDoc,
  hub: ProgressDoc,
): EditReview {
  const findings: EditFinding[] = [];
  const cut = cutOff(base.source, theirs.source);
  if (cut !== undefined) findings.push(cut);
  if (base.tasks.length > 0 && theirs.tasks.length === 0)
    findings.push({
      kind: "no-tasks",
      message: `it leaves no task at all (the last version had ${base.tasks.length})`,
    });
  else if (hasTasksHeading(base) && !hasTasksHeading(theirs))
    findings.push({
      kind: "no-tasks-heading",
      message: "it drops the '## Tasks' heading",
    });
  const changed = changedTasks(base, theirs);
  if (
    theirs.tasks.length > 0 &&
    changed.length >= MANY_TASKS &&
    changed.length * 3 >= base.tasks.length
  )
    findings.push({
      kind: "many-changed",
      tasks: changed,
      message: `it deletes or rewrites ${changed.length} of ${base.tasks.length} tasks at once (${listIds(changed)})`,
    });
  const reverted = revertedDone(base, theirs, hub);
  if (reverted.length > 0)
    findings.push({
      kind: "reverts-done",
      tasks: reverted,
      message: `it unchecks ${listIds(reverted)}, done on the hub — an editor's stale copy? To reopen a done task on purpose, add '- reopen: why' under it`,
    });
  return { hold: findings.length > 0, findings };
}

/** The user's text is the start of the last version, cut inside a line: a half-written save. */
function cutOff(base: string, theirs: string): EditFinding | undefined {
  if (theirs.length >= base.length || !base.startsWith(theirs))
    return undefined;
  if (theirs === "" || theirs.endsWith("\n")) {
    if (theirs.trim() !== "") return undefined;
    return {
      kind: "cut-off",
      message: `the file is empty (the last version had ${base.length} bytes)`,
    };
  }
  return {
    kind: "cut-off",
    message: `the file stops mid-line after ${theirs.length} of the last version's ${base.length} bytes, as a half-written save does`,
  };
}

function hasTasksHeading(doc: ProgressDoc): boolean {
  return doc.lines.some((line) => TASKS_HEADING.test(line));
}

/** Tasks of `base` the edit deleted (renames aside) or rewrote (a new title, or metadata lines removed). */
function changedTasks(base: ProgressDoc, theirs: ProgressDoc): string[] {
  const renamed = new Set(findRenames(base, theirs).map((r) => r.from));
  const now = new Map(theirs.tasks.map((t) => [t.id, t]));
  return base.tasks
    .filter((task) => {
      const after = now.get(task.id);
      if (after === undefined) return !renamed.has(task.id);
      return after.title !== task.title || lostLines(base, task, theirs, after);
    })
    .map((task) => task.id);
}

function lostLines(
  base: ProgressDoc,
  before: Task,
  theirs: ProgressDoc,
  after: Task,
): boolean {
  const kept = new Set(theirs.lines.slice(after.line, after.endLine));
  return base.lines
    .slice(before.line, before.endLine)
    .some((line) => line.trim() !== "" && !kept.has(line));
}

/** Done on the hub and in the last agreed version, not done in the user's file, no `reopen:`. */
function revertedDone(
  base: ProgressDoc,
  theirs: ProgressDoc,
  hub: ProgressDoc,
): string[] {
  const doneIn = (doc: ProgressDoc) =>
    new Set(doc.tasks.filter((t) => t.status === "done").map((t) => t.id));
  const onHub = doneIn(hub);
  const inBase = doneIn(base);
  return theirs.tasks
    .filter(
      (t) =>
        t.status !== "done" &&
        t.reopen === undefined &&
        onHub.has(t.id) &&
        inBase.has(t.id),
    )
    .map((t) => t.id);
}

function listIds(ids: readonly string[]): string {
  return ids.length > 8
    ? `${ids.slice(0, 8).join(", ")} and ${ids.length - 8} more`
    : ids.join(", ");
}
