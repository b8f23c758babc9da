/**
 * The explicit reopen form. A done or blocked task is reopened on purpose by writing a nested
 * `- reopen: why` line under it (removing a `blocked:` line still reopens a blocked task, too).
 * When the runner sends such an edit to the swarm it turns the request into the change itself —
 * the checkbox cleared, the `blocked:` line gone — and the `reopen:` line into a note that says
 * who reopened it, when and why, and names the branch where the earlier attempt's work stays, so
 * a stale copy of the file saved later cannot reopen the task a second time.
 */
import type { ProgressDoc } from "../parse.js";
import { parseProgress } from "../parse.js";

/** Who reopens, when (a day, `YYYY-MM-DD`), and each task's earlier work branch, where known. */
export interface ReopenContext {
  who: string;
  day: string;
  branches?: ReadonlyMap<string, string>;
}

const REOPEN = /^(\s*(?:[-*+]|\d+[.)])\s+)reopen\s*:\s*(.*)$/is;
const BLOCKED = /^\s*(?:[-*+]|\d+[.)])\s+blocked\s*:/i;

/** The ids of tasks that carry a `reopen:` line. */
export function reopenRequests(doc: ProgressDoc): string[] {
  return doc.tasks.filter((t) => t.reopen !== undefined).map((t) => t.id);
}

/**
 * Applies every `reopen:` line of `doc`: the task's box is cleared, its `blocked:` lines removed,
 * and the `reopen:` line becomes `note: reopened by WHO on DAY: why (earlier work: BRANCH)`.
 * Returns the source unchanged when there is none.
 */
export function applyReopens(doc: ProgressDoc, context: ReopenContext): string {
  if (reopenRequests(doc).length === 0) return doc.source;
  const lines = [...doc.lines];
  const drop = new Set<number>();
  for (const task of doc.tasks) {
    if (task.reopen === undefined) continue;
    lines[task.line - 1] = (lines[task.line - 1] ?? "").replace(
      /\[[xX]\]/,
      "[ ]",
    );
    for (let line = task.line + 1; line <= task.endLine; line += 1) {
      const text = lines[line - 1] ?? "";
      if (BLOCKED.test(text)) drop.add(line);
      const match = REOPEN.exec(text);
      if (match === null) continue;
      const why = (match[2] ?? "").trim();
      const branch = context.branches?.get(task.id);
      lines[line - 1] =
        `${match[1]}note: reopened by ${context.who} on ${context.day}${why ? `: ${why}` : ""}${branch ? ` (earlier work kept on branch ${branch})` : ""}`;
    }
  }
  return lines.filter((_, i) => !drop.has(i + 1)).join(doc.eol);
}

/**
 * Tasks blocked in `before` and open in `after`: reopened, whichever form the human used. The
 * runner starts their next attempt from the current main with the attempt count reset.
 */
export function reopenedBlocked(before: ProgressDoc, after: string): string[] {
  const blocked = new Set(
    before.tasks.filter((t) => t.status === "blocked").map((t) => t.id),
  );
  return parseProgress(after)
    .tasks.filter((t) => t.status === "open" && blocked.has(t.id))
    .map((t) => t.id);
}
