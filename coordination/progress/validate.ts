/**
 * Checks a parsed PROGRESS.md as a whole: an empty or binary file, malformed items, duplicate ids,
 * dependencies on unknown ids, dependency cycles, bad job keys (`gpu: two`, a job without `run:`), bad gate keys (`empty: yes`). Pure; `readProgress` turns problems into one UserError with every line.
 */
import { UserError } from "../base/errors.js";
import {
  parseProgress,
  type ProgressDoc,
  type ProgressProblem,
} from "./parse.js";
import { parseJobSpec } from "./job-spec.js";
import { indexTasks, readTaskGates, type Task } from "./task.js";

/**
 * Every problem in the document, sorted by line. Empty means the task graph is usable.
 * `archivedIds` are done tasks moved to the archive: depending on them is fine.
 */
export function validateProgress(
  doc: ProgressDoc,
  archivedIds: readonly string[] = [],
): ProgressProblem[] {
  const problems = [
    ...unreadableFile(doc),
    ...doc.problems,
    ...doc.malformed,
    ...duplicateIds(doc.tasks),
    ...unknownNeeds(doc.tasks, archivedIds),
    ...cycles(doc.tasks),
    ...doc.tasks.flatMap((task) =>
      task.status === "done"
        ? []
        : [
            ...parseJobSpec(task.job ?? {}, task.line).problems,
            ...readTaskGates(task).problems,
          ],
    ),
  ];
  return problems.sort((a, b) => a.line - b.line);
}

/** Parses and validates; throws a UserError listing `file:line: problem` for each problem. */
export function readProgress(
  source: string,
  file = "PROGRESS.md",
  archivedIds: readonly string[] = [],
): ProgressDoc {
  const doc = parseProgress(source, file);
  const problems = validateProgress(doc, archivedIds);
  if (problems.length > 0) throw progressError(file, problems);
  return doc;
}

/** The error for a broken PROGRESS.md: every problem with its line, and what to do. */
export function progressError(
  file: string,
  problems: readonly ProgressProblem[],
): UserError {
  const lines = problems.map((p) => `  ${file}:${p.line}: ${p.message}`);
  return new UserError(
    "bad-progress",
    `${file} has ${problems.length} problem(s):\n${lines.join("\n")}\nFix these lines and try again; nothing was changed.`,
  );
}

/** An empty file declares nothing and a binary one is not Markdown: both hide every task. */
function unreadableFile(doc: ProgressDoc): ProgressProblem[] {
  if (doc.source.trim() === "")
    return [
      {
        line: 1,
        message:
          'the file is empty: declare tasks as `- [ ] task-id: Title` (`gitswarm add ID "Title"` adds one)',
      },
    ];
  // Git's own test for binary: a NUL byte. Latin-1 or other non-UTF-8 prose is still text.
  const binary = doc.lines.findIndex((line) => line.includes("\u0000"));
  if (binary < 0) return [];
  return [
    {
      line: binary + 1,
      message:
        "the file is binary (a NUL byte on this line), not Markdown: restore PROGRESS.md from git history",
    },
  ];
}

function duplicateIds(tasks: readonly Task[]): ProgressProblem[] {
  const first = new Map<string, Task>();
  const problems: ProgressProblem[] = [];
  for (const task of tasks) {
    const earlier = first.get(task.id);
    if (earlier === undefined) first.set(task.id, task);
    else
      problems.push({
        line: task.line,
        message: `duplicate task id '${task.id}' (first declared on line ${earlier.line})`,
      });
  }
  return problems;
}

function unknownNeeds(
  tasks: readonly Task[],
  archivedIds: readonly string[],
): ProgressProblem[] {
  const ids = new Set([...tasks.map((t) => t.id), ...archivedIds]);
  const problems: ProgressProblem[] = [];
  for (const task of tasks) {
    for (const need of task.needs) {
      if (need === task.id)
        problems.push({
          line: task.line,
          message: `task '${task.id}' needs itself`,
        });
      else if (!ids.has(need)) {
        problems.push({
          line: task.line,
          message: `task '${task.id}' needs '${need}', which is not a task in this file`,
        });
      }
    }
  }
  return problems;
}

/**
 * Finds dependency cycles with an iterative depth-first search (a chain of thousands of tasks must
 * not overflow the stack); reports each cycle once, at its first task.
 */
function cycles(tasks: readonly Task[]): ProgressProblem[] {
  const byId = indexTasks(tasks);
  const state = new Map<string, "visiting" | "done">();
  const problems: ProgressProblem[] = [];
  for (const root of byId.values()) {
    if (state.has(root.id)) continue;
    const path: Task[] = [root];
    const nextNeed: number[] = [0];
    state.set(root.id, "visiting");
    while (path.length > 0) {
      const depth = path.length - 1;
      const task = path[depth] as Task;
      const index = nextNeed[depth] ?? 0;
      if (index >= task.needs.length) {
        state.set(task.id, "done");
        path.pop();
        nextNeed.pop();
        continue;
      }
      nextNeed[depth] = index + 1;
      const need = task.needs[index] ?? "";
      const next = byId.get(need);
      if (next === undefined || next === task) continue;
      if (state.get(need) === "visiting") {
        const cycle = [
          ...path.slice(path.findIndex((t) => t.id === need)),
          next,
        ].map((t) => t.id);
        problems.push({
          line: next.line,
          message: `dependency cycle: ${dedupeEnds(cycle).join(" -> ")}`,
        });
      } else if (!state.has(need)) {
        state.set(need, "visiting");
        path.push(next);
        nextNeed.push(0);
      }
    }
  }
  return problems;
}

function dedupeEnds(ids: string[]): string[] {
  return ids.filter((id, i) => i === 0 || id !== ids[i - 1]);
}
