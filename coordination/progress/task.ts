/**
 * The task model: what PROGRESS.md declares. A task's *claimed* state is not here — it comes from
 * its ref on the hub; PROGRESS.md holds what humans write and what is finished.
 */
import type { JobFields } from "./job-spec.js";

/** Status recorded in PROGRESS.md. `claimed` is derived from locks, never written here. */
export const TaskStatuses = ["open", "done", "blocked"] as const;
export type TaskStatus = (typeof TaskStatuses)[number];

/**
 * A canonical task id: lowercase, starts with a letter or digit, then letters, digits, `.`, `_`,
 * `-`, at most 64 characters — and a valid git ref name component, since each task has the ref
 * `refs/swarm/tasks/<id>` (`git check-ref-format`: no `..`, no trailing `.` or `.lock`).
 */
export const TASK_ID_PATTERN =
  /^(?!.*\.\.)(?!.*\.lock$)(?!.*\.$)[a-z0-9][a-z0-9._-]{0,63}$/;

/** Ids with this prefix are reserved for recurring system tasks (the coalescer). */
export const SYSTEM_TASK_PREFIX = "swarm-";

/** Whether an id names a recurring system task (`swarm-…`): never declared in PROGRESS.md, never closed by done. */
export function isSystemTaskId(taskId: string): boolean {
  return taskId.startsWith(SYSTEM_TASK_PREFIX);
}

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
  /** A job's keys as written (`run`, `gpu`, `gpu-mem`, `time-limit`, `accept`, `artifacts`), each with its line. */
  job?: JobFields;
  /**
   * The gates' per-task keys as written, each with its line (validated by
   * coordination/progress/gate-keys.ts): `empty: ok`, `review: …`, `approve: human`.
   */
  gates?: Partial<
    Record<"empty" | "review" | "approve", { value: string; line: number }>
  >;
  /** A finished job's final figures (`result:`), e.g. `step 3000, loss 0.21`. */
  result?: string;
  /** Why the task was given up (`blocked:`). */
  blockedReason?: string;
  /** A human's request to reopen a done or blocked task (`reopen:`), consumed when synced. */
  reopen?: string;
  /** Free notes (`note:` items and any other nested text), in document order. */
  notes: string[];
  /** Priority: position in the document, 0 first. */
  order: number;
  /** The heading the task stands under, if any. */
  section?: string;
  line: number;
  endLine: number;
}

/** Returns whether a string is a valid canonical task id (system `swarm-` ids included). */
export function isTaskId(value: string): boolean {
  return TASK_ID_PATTERN.test(value);
}

/**
 * Why `id` cannot be a task declared in PROGRESS.md (or added with `gitswarm add`), as a message
 * that says what to do; undefined when it can. System ids (`swarm-…`) are refused here.
 */
export function declaredTaskIdProblem(id: string): string | undefined {
  if (!isTaskId(id))
    return `'${id}' is not a valid task id: ${idRuleBroken(id)}`;
  if (id.startsWith(SYSTEM_TASK_PREFIX))
    return `'${id}' is reserved: ids starting with '${SYSTEM_TASK_PREFIX}' name gitswarm's own recurring tasks (the coalescer); pick another id`;
  return undefined;
}

function idRuleBroken(id: string): string {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(id))
    return "use lowercase letters, digits, '.', '_' or '-' (at most 64)";
  return "it names the git ref refs/swarm/tasks/<id>, so it may not contain '..' nor end with '.' or '.lock'";
}

/** Indexes tasks by id (first occurrence wins; duplicates are a validation error elsewhere). */
export function indexTasks(tasks: readonly Task[]): Map<string, Task> {
  const byId = new Map<string, Task>();
  for (const task of tasks) if (!byId.has(task.id)) byId.set(task.id, task);
  return byId;
}

/** A task's own gate settings, read from its `empty:`, `review:` and `approve:` keys. */
export interface TaskGates {
  /** `empty: ok`: the task may end with no change against main (a check, a decision). */
  emptyOk: boolean;
  /** `review: a, b [any|all]` overrides the config's reviewers; `review: none` skips the AI review. */
  review?: { reviewers: string[]; rule?: "all" | "any" } | "none";
  /** `approve: human`: the work waits for `gitswarm approve` before it lands. */
  human: boolean;
}

/** Reads a task's gate keys; each bad value is a problem naming its line. Pure. */
export function readTaskGates(task: Pick<Task, "gates">): {
  gates: TaskGates;
  problems: { line: number; message: string }[];
} {
  const problems: { line: number; message: string }[] = [];
  const gates: TaskGates = { emptyOk: false, human: false };
  const { empty, review, approve } = task.gates ?? {};
  if (empty !== undefined) {
    if (/^ok$/i.test(empty.value.trim())) gates.emptyOk = true;
    else
      problems.push({
        line: empty.line,
        message: `empty: expects 'ok' (the task may end with no change), got '${empty.value}'`,
      });
  }
  if (approve !== undefined) {
    if (/^human$/i.test(approve.value.trim())) gates.human = true;
    else
      problems.push({
        line: approve.line,
        message: `approve: expects 'human' (wait for 'gitswarm approve'), got '${approve.value}'`,
      });
  }
  if (review !== undefined) {
    const words = review.value
      .split(/[,\s]+/)
      .map((word) => word.trim())
      .filter((word) => word !== "");
    if (words.length === 1 && /^(none|off)$/i.test(words[0] ?? ""))
      gates.review = "none";
    else {
      const rules = words.filter((w) => w === "any" || w === "all");
      const reviewers = words.filter((w) => w !== "any" && w !== "all");
      if (reviewers.length === 0 || rules.length > 1)
        problems.push({
          line: review.line,
          message: `review: expects agent names or kinds and at most one of 'any'/'all' (e.g. 'review: codex, gemini any'), or 'none'; got '${review.value}'`,
        });
      else
        gates.review = {
          reviewers,
          ...(rules[0] ? { rule: rules[0] as "all" | "any" } : {}),
        };
    }
  }
  return { gates, problems };
}
