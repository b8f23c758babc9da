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
  const onMain = problems.filter((p) => p.ref === undefined);
  const onRefs = problems.filter((p) => p.ref !== undefined);
  if (onMain.length > 0)
    io.stderr(
      `gitswarm ${command}: the hub's main has ${onMain.length} problem(s):\n${onMain.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join("\n")}\n` +
        `Fix these files in a commit to the hub's main; until then the tasks they touch cannot be claimed.\n`,
    );
  // Issue 19: a malformed lock is on its task ref, not on main; say where, so it can be found.
  if (onRefs.length > 0)
    io.stderr(
      `gitswarm ${command}: ${onRefs.length} task ref(s) on the hub hold a malformed lock or marker:\n${onRefs.map((p) => `  ${p.ref} ${p.file}:${p.line}: ${p.message}`).join("\n")}\n` +
        `Until each is repaired or removed, its task cannot be claimed.\n`,
    );
  return ExitCode.usage;
}
