/**
 * The task model: what PROGRESS.md declares. A task's *claimed* state is not here — it comes from
 * `locks/` on the hub; PROGRESS.md holds what humans write and what is finished.
 */

/** Status recorded in PROGRESS.md. `claimed` is derived from locks, never written here. */
export const TaskStatuses = ["open", "done", "blocked"] as const;
export type TaskStatus = (typeof TaskStatuses)[number];

/** A canonical task id: lowercase, starts with a letter or digit, then letters, digits, `.`, `_`, `-`. */
export const TASK_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** One task as declared in PROGRESS.md. Lines are 1-based and inclusive. */
export interface Task {
  id: string;
  title: string;
  status: TaskStatus;
  /** Ids this task depends on (`needs:`); all must be done before it can be claimed. */
  needs: string[];
  /** Required capabilities (`tags:`), e.g. `gpu`, `frontend`. */
  tags: string[];
  /** Oracle cases (paths or globs, `cases:`) that must pass before the task may be done. */
  cases: string[];
  /** A job task's command (`run:`), run by a command agent instead of a model. */
  run?: string;
  /** GPUs a job needs (`gpu:`). */
  gpu?: number;
  /** Why the task was given up (`blocked:`). */
  blockedReason?: string;
  /** Free notes (`note:` items and any other nested text), in document order. */
  notes: string[];
  /** Priority: position in the document, 0 first. */
  order: number;
  /** The heading the task stands under, if any. */
  section?: string;
  line: number;
  endLine: number;
}

/** Returns whether a string is a valid canonical task id. */
export function isTaskId(value: string): boolean {
  return TASK_ID_PATTERN.test(value);
}

/** Indexes tasks by id (first occurrence wins; duplicates are a validation error elsewhere). */
export function indexTasks(tasks: readonly Task[]): Map<string, Task> {
  const byId = new Map<string, Task>();
  for (const task of tasks) if (!byId.has(task.id)) byId.set(task.id, task);
  return byId;
}
