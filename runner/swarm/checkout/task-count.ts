/**
 * The live view's totals follow PROGRESS.md: whenever the sync reads the hub's PROGRESS.md (after
 * a human's edit lands, and on every tick's fetch), its task count is compared with the last one
 * announced, and a change becomes a `tasks` event. Counting is a parse of text already in hand: no
 * extra git call.
 */
import { PROGRESS_FILE } from "../../../coordination/state/hub-view.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import type { EventInput } from "../../../coordination/base/events.js";

/** Tasks in a PROGRESS.md text and how many are done: the same figures run-start gives. */
export function countTasks(text: string): { total: number; done: number } {
  const tasks = parseProgress(text, PROGRESS_FILE).tasks;
  return {
    total: tasks.length,
    done: tasks.filter((t) => t.status === "done").length,
  };
}

/** Announces the hub's task count each time it differs from the last one announced. */
export class TaskCountWatch {
  private last: string;

  /** `start` is the text whose count the run has already announced (run-start's). */
  constructor(
    start: string,
    private readonly emit: (event: EventInput) => void,
  ) {
    this.last = JSON.stringify(countTasks(start));
  }

  /** Reads the count of `hubText` and emits a `tasks` event if it changed. */
  see(hubText: string): void {
    const counts = countTasks(hubText);
    const key = JSON.stringify(counts);
    if (key === this.last) return;
    this.last = key;
    this.emit({ type: "tasks", ...counts });
  }
}
