/**
 * The decisions of the scripted agent, as pure functions over plain data: which attempt this is
 * (from the failure notes the runner leaves on the task), which prepared attempt to apply, and what
 * each prepared file does to the workspace.
 */

// The runner records a failed attempt as `released by <agent>: attempt N failed: <reason>`.
const FAILED_ATTEMPT = /attempt \d+ failed/;
const ATTEMPT_DIR = /^attempt-(\d+)$/;
const DELETE_SUFFIX = ".delete";

/** The attempt number of the next try at a task: 1 + its notes that record a failed attempt. */
export function attemptNumber(notes: readonly string[]): number {
  return 1 + notes.filter((note) => FAILED_ATTEMPT.test(note)).length;
}

/** The attempt numbers of a task's script folder entries (`attempt-1`, `attempt-2`, ...), sorted. */
export function availableAttempts(entries: readonly string[]): number[] {
  return entries
    .map((entry) => ATTEMPT_DIR.exec(entry)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
}

/**
 * The prepared attempt to apply: `attempt` itself when it exists, else the highest one below it,
 * else (a script that starts later) the lowest; undefined when there is none at all.
 */
export function pickAttempt(
  available: readonly number[],
  attempt: number,
): number | undefined {
  if (available.includes(attempt)) return attempt;
  const below = available.filter((n) => n < attempt);
  return below.length > 0
    ? Math.max(...below)
    : available.length > 0
      ? Math.min(...available)
      : undefined;
}

/** What one prepared file does: a copy over the workspace's file, or the deletion of a path. */
export type FileOp =
  | { kind: "write"; from: string; to: string }
  | { kind: "delete"; path: string };

/**
 * The operations for the files of a prepared attempt (paths relative to its folder, POSIX): a file
 * named `X.delete` deletes `X`, any other file is written at the same path. Sorted by path, so
 * applying the same attempt twice does the same thing in the same order.
 */
export function planFileOps(files: readonly string[]): FileOp[] {
  return [...files].sort().map((file) => {
    if (file.endsWith(DELETE_SUFFIX) && file.length > DELETE_SUFFIX.length)
      return { kind: "delete", path: file.slice(0, -DELETE_SUFFIX.length) };
    return { kind: "write", from: file, to: file };
  });
}
