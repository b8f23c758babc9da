/** A run with its terminal output: the live view while it runs, the summary when it ends (for `run` and the demo). */
import { runSwarm, type RunResult } from "../swarm/run-swarm.js";
import type { CommandIo } from "./command.js";
import { createRunOutput } from "./run-output.js";
import { printRunSummary } from "./run-summary-output.js";

/** Runs the swarm with the live view and prints the summary. */
export async function runWithOutput(
  io: CommandIo,
  json: boolean,
  options: Omit<Parameters<typeof runSwarm>[0], "signal" | "onEvent">,
  onEvent?: Parameters<typeof runSwarm>[0]["onEvent"],
): Promise<RunResult> {
  const output = createRunOutput(io, json);
  const result = await runSwarm({
    ...options,
    signal: io.signal,
    onEvent: (event) => {
      output.onEvent(event);
      onEvent?.(event);
    },
  });
  output.close();
  if (!json) await printRunSummary(io, options.repoDir, result);
  return result;
}
