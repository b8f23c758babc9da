/**
 * Attempts are counted on the task ref: a failed attempt is released with the reason
 * `attempt N failed: <reason>`, which the `released` marker keeps with the attempt number, and that
 * reason is what the next attempt's prompt shows as the previous failure — without a commit on
 * main. Notes `released by <agent>: attempt N failed: …` in PROGRESS.md (hubs of the previous
 * layout) still count.
 */
import type { TaskMarker } from "../../coordination/state/task-marker.js";
import type { Task } from "../../coordination/progress/task.js";

const FAILED = /attempt (\d+) failed: (.*)$/;

/** The number of failed attempts recorded on a task. */
export function failedAttempts(task: Task): number {
  return task.notes.filter((note) => FAILED.test(note)).length;
}

/** The latest recorded failure's reason, for the next prompt. */
export function lastFailure(task: Task): string | undefined {
  for (let i = task.notes.length - 1; i >= 0; i -= 1) {
    const match = FAILED.exec(task.notes[i] ?? "");
    if (match) return match[2];
  }
  return undefined;
}

/** The attempt number of the next claim: after the task ref's last marker and PROGRESS.md's notes. */
export function nextAttempt(
  task: Task,
  marker: TaskMarker | undefined,
): number {
  const fromNotes = failedAttempts(task) + 1;
  // A done or blocked task reopened by a human starts over; a crash (broken) or a plain release retries the same attempt.
  if (marker?.attempt === undefined || marker.state === "done")
    return fromNotes;
  if (marker.state === "blocked") return 1;
  const failed =
    marker.state === "released" && FAILED.test(marker.reason ?? "");
  return Math.max(fromNotes, marker.attempt + (failed ? 1 : 0));
}

/** The release reason of queued work handed back to be rebased (runner/queue/): not a failed attempt. */
export const REBASE_PREFIX = "requeue: ";

/** The failure the next attempt's prompt shows: the task ref's last failed release, else PROGRESS.md's. */
export function previousFailure(
  task: Task,
  marker: TaskMarker | undefined,
): string | undefined {
  if (
    marker?.state === "released" &&
    marker.reason?.startsWith(REBASE_PREFIX) === true
  )
    return marker.reason.slice(REBASE_PREFIX.length);
  const match =
    marker?.state === "released" ? FAILED.exec(marker.reason ?? "") : null;
  return match?.[2] ?? lastFailure(task);
}

/** The release reason that records a failed attempt (one line, bounded). */
export function failureReason(attempt: number, reason: string): string {
  const oneLine = reason.replace(/\s+/g, " ").trim();
  // Long enough for a command gate's output tail and a reviewer's findings, verbatim.
  return `attempt ${attempt} failed: ${oneLine.length > 2000 ? `${oneLine.slice(0, 2000)}…` : oneLine}`;
}

/**
 * The notes an agent sees: PROGRESS.md's, plus one `attempt k failed` line per earlier failed
 * attempt that lives only on the task ref (so agents and prompts still see the attempt history).
 */
export function notesWithAttempts(
  task: Task,
  attempt: number,
  previous: string | undefined,
): string[] {
  const extra: string[] = [];
  for (let k = failedAttempts(task) + 1; k < attempt; k += 1)
    extra.push(
      `attempt ${k} failed: ${k === attempt - 1 && previous !== undefined ? previous : "(reason on the task ref's history)"}`,
    );
  return [...task.notes, ...extra];
}
