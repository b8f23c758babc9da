/**
 * Attempts are counted in PROGRESS.md itself, where humans see them: every failed attempt leaves a
 * note `released by <agent>: attempt N failed: <reason>`, and that note is what the next attempt's
 * prompt shows as the previous failure.
 */
import type { Task } from "../coordination/task.js";

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

/** The release reason that records a failed attempt (one line, bounded). */
export function failureReason(attempt: number, reason: string): string {
  const oneLine = reason.replace(/\s+/g, " ").trim();
  return `attempt ${attempt} failed: ${oneLine.length > 400 ? `${oneLine.slice(0, 400)}…` : oneLine}`;
}
