/** Reports bad input found on the hub (PROGRESS.md, lock files) for commands that read it all. */
import type { SwarmProblem } from "../../coordination/protocol/swarm-state.js";
import { ExitCode, type CommandIo } from "./command.js";

/**
 * Writes each problem as `file:line: message` to stderr and returns exit code 2 (bad input), or
 * returns 0 when there are none. Commands print what they could read first, then call this.
 */
export function reportHubProblems(
  io: CommandIo,
  command: string,
  problems: readonly SwarmProblem[],
): ExitCode {
  if (problems.length === 0) return ExitCode.ok;
  const lines = problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`);
  io.stderr(
    `gitswarm ${command}: the hub's main has ${problems.length} problem(s):\n${lines.join("\n")}\n` +
      `Fix these files in a commit to the hub's main; until then the tasks they touch cannot be claimed.\n`,
  );
  return ExitCode.usage;
}
