/**
 * Telling a missing reference binary apart from a failing case: checked once before the run (the
 * command's program on PATH), and again from the shell's "command not found" exit status, so the
 * user gets one clear message with the install hint and the `oracle record` advice, not hundreds
 * of failed cases.
 */
import { UserError } from "../../coordination/base/errors.js";
import { COMMAND_NOT_FOUND } from "../process/execute.js";
import { locateProgram } from "../process/program.js";
import type { CommandOutcome } from "../types.js";

/** Throws a UserError when the reference command's program is neither on PATH nor a file. */
export async function assertReferenceAvailable(
  repoDir: string,
  reference: string,
  hint: string | undefined,
  /** Why the reference is needed, when that is news to the user (stale recordings). */
  why?: string,
): Promise<void> {
  const location = await locateProgram(repoDir, reference);
  // `program` is absent when the shell alone can tell (a builtin first): the runtime check covers it.
  if (location.found || location.program === undefined) return;
  const error = referenceMissing(location.program, reference, hint);
  if (why !== undefined)
    error.message = `${error.message} (It is needed because ${why}.)`;
  throw error;
}

/** True when a reference outcome says the shell could not find its program. */
export function isCommandNotFound(outcome: CommandOutcome): boolean {
  return (
    outcome.exitCode === COMMAND_NOT_FOUND &&
    /not found|No such file/i.test(outcome.stderrTail)
  );
}

/** The UserError for a reference that is not installed. */
export function referenceMissing(
  program: string,
  reference: string,
  hint: string | undefined,
): UserError {
  const install =
    hint === undefined ? `install '${program}'` : `install it (${hint})`;
  return new UserError(
    "oracle-reference-missing",
    `the reference '${program}' was not found (oracle.reference: ${reference}). Either ${install}, or run against a recording: ` +
      `run 'gitswarm oracle record' where '${program}' is installed, commit the recording, and run 'gitswarm oracle --recording only'.`,
  );
}
