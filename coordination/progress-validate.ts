/**
 * Checks a parsed PROGRESS.md as a whole: malformed items, duplicate ids, dependencies on unknown
 * ids, dependency cycles. Pure; `readProgress` turns problems into one UserError with every line.
 */
import { UserError } from "./base/errors.js";
import {
  parseProgress,
  type ProgressDoc,
  type ProgressProblem,
} from "./progress-parse.js";
import { indexTasks, type Task } from "./task.js";

/**
 * Every problem in the document, sorted by line. Empty means the task graph is usable.
 * `archivedIds` are done tasks moved to the archive: depending on them is fine.
 */
export function validateProgress(
  doc: ProgressDoc,
  archivedIds: readonly string[] = [],
): ProgressProblem[] {
  const problems = [
    ...doc.problems,
    ...duplicateIds(doc.tasks),
    ...unknownNeeds(doc.tasks, archivedIds),
    ...cycles(doc.tasks),
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

/** Finds dependency cycles with a depth-first search; reports each cycle once, at its first task. */
function cycles(tasks: readonly Task[]): ProgressProblem[] {
  const byId = indexTasks(tasks);
  const state = new Map<string, "visiting" | "done">();
  const problems: ProgressProblem[] = [];
  const visit = (task: Task, path: Task[]): void => {
    state.set(task.id, "visiting");
    for (const need of task.needs) {
      const next = byId.get(need);
      if (next === undefined || next === task) continue;
      if (state.get(need) === "visiting") {
        const cycle = [
          ...path.slice(path.findIndex((t) => t.id === need)),
          task,
          next,
        ].map((t) => t.id);
        problems.push({
          line: next.line,
          message: `dependency cycle: ${dedupeEnds(cycle).join(" -> ")}`,
        });
      } else if (state.get(need) === undefined) visit(next, [...path, task]);
    }
    state.set(task.id, "done");
  };
  for (const task of byId.values())
    if (state.get(task.id) === undefined) visit(task, []);
  return problems;
}

function dedupeEnds(ids: string[]): string[] {
  return ids.filter((id, i) => i === 0 || id !== ids[i - 1]);
}
