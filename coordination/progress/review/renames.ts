/**
 * Renames of tasks in PROGRESS.md: a task whose id changed while its title and metadata stayed
 * the same. A rename is not a deletion (the edit review does not count it), and a claimed task
 * renamed while its agent works carries its claim and its work over to the new id.
 */
import type { ProgressDoc } from "../parse.js";
import type { Task } from "../task.js";

/** One task renamed from `from` to `to`. */
export interface TaskRename {
  from: string;
  to: string;
}

/** Whether two tasks declare the same work: same title and metadata (ids, notes and checkbox aside). */
export function sameTaskContent(a: Task, b: Task): boolean {
  const jobValues = (t: Task) =>
    JSON.stringify(
      Object.entries(t.job ?? {})
        .map(([key, field]) => [key, field?.value])
        .sort(),
    );
  return (
    a.title === b.title &&
    a.needs.join(",") === b.needs.join(",") &&
    a.tags.join(",") === b.tags.join(",") &&
    a.cases.join(",") === b.cases.join(",") &&
    a.run === b.run &&
    jobValues(a) === jobValues(b)
  );
}

/** Tasks of `before` gone from `after` that reappear there under a new id, paired one to one. */
export function findRenames(
  before: ProgressDoc,
  after: ProgressDoc,
): TaskRename[] {
  const oldIds = new Set(before.tasks.map((t) => t.id));
  const newIds = new Set(after.tasks.map((t) => t.id));
  const added = after.tasks.filter((t) => !oldIds.has(t.id));
  const renames: TaskRename[] = [];
  for (const task of before.tasks) {
    if (newIds.has(task.id)) continue;
    const index = added.findIndex((t) => sameTaskContent(task, t));
    const target = added[index];
    if (target === undefined) continue;
    added.splice(index, 1);
    renames.push({ from: task.id, to: target.id });
  }
  return renames;
}

/**
 * Where a task that is gone from `doc` went: the one task there, not done, with a different id and
 * the same content; undefined when there is none or more than one (then it counts as deleted).
 */
export function findRenamedTask(
  task: Task,
  doc: { readonly tasks: readonly Task[] },
  known: ReadonlySet<string> = new Set(),
): Task | undefined {
  if (doc.tasks.some((t) => t.id === task.id)) return undefined;
  const matches = doc.tasks.filter(
    (t) =>
      t.id !== task.id &&
      t.status !== "done" &&
      !known.has(t.id) &&
      sameTaskContent(task, t),
  );
  return matches.length === 1 ? matches[0] : undefined;
}
