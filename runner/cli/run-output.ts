/** How `gitswarm run` shows itself: a live table on a terminal, plain lines elsewhere, JSON on request. */
import type { SwarmEvent } from "../../coordination/base/events.js";
import { describeEvent, renderTable, RunTally } from "../swarm/live-view.js";
import type { CommandIo } from "./command.js";

export interface RunOutput {
  onEvent(event: SwarmEvent): void;
  close(): void;
}

/** Picks the view: `json` prints every event; a TTY gets the live table; otherwise plain lines. */
export function createRunOutput(io: CommandIo, json: boolean): RunOutput {
  if (json)
    return {
      onEvent: (event) => io.stdout(`${JSON.stringify(event)}\n`),
      close: () => undefined,
    };
  // The tally learns the task count from run-start: the redraw timer may fire before it comes.
  const tally = new RunTally();
  if (!io.isTty) {
    return {
      onEvent(event) {
        tally.apply(event);
        const line = describeEvent(event);
        if (line) io.stdout(`${line}\n`);
      },
      close: () => undefined,
    };
  }
  let drawn = 0;
  const redraw = (before = "") => {
    const table = renderTable(tally);
    // Move up over the last table, clear to the end, print new lines, then the table again.
    io.stdout(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ""}${before}${table}\n`);
    drawn = table.split("\n").length;
  };
  const timer = setInterval(() => redraw(), 500);
  return {
    onEvent(event) {
      tally.apply(event);
      const line = describeEvent(event);
      if (line) redraw(`${line}\n`);
    },
    close() {
      clearInterval(timer);
      redraw();
    },
  };
}
