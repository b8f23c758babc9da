/**
 * Telling a missing reference binary apart from a failing case: checked once before the run (the
 * command's program on PATH), and again from the shell's "command not found" exit status, so the
 * user gets one clear message with the install hint and the `oracle record` advice, not hundreds
 * of failed cases.
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../runner/errors.js';
import { commandProgram } from './command.js';
import { COMMAND_NOT_FOUND } from './execute.js';
import type { CommandOutcome } from './types.js';

// Shell builtins and keywords are not on PATH; the runtime check covers commands starting with them.
const SHELL_WORDS = new Set([
  'cd',
  'exec',
  'env',
  'time',
  'test',
  '[',
  'true',
  'false',
  'echo',
  'printf',
  'if',
  'for',
  'while',
  'set',
  'export',
  '.',
  'source',
  'command',
  'nice',
  'timeout',
]);

/** Throws a UserError when the reference command's program is neither on PATH nor a file. */
export async function assertReferenceAvailable(
  repoDir: string,
  reference: string,
  hint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const program = commandProgram(reference);
  if (program === undefined || SHELL_WORDS.has(program)) return;
  const candidates = program.includes('/')
    ? [path.resolve(repoDir, program)]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      return;
    } catch {
      // Not here; try the next PATH entry.
    }
  }
  throw referenceMissing(program, reference, hint);
}

/** True when a reference outcome says the shell could not find its program. */
export function isCommandNotFound(outcome: CommandOutcome): boolean {
  return outcome.exitCode === COMMAND_NOT_FOUND && /not found|No such file/i.test(outcome.stderrTail);
}

/** The UserError for a reference that is not installed. */
export function referenceMissing(program: string, reference: string, hint: string | undefined): UserError {
  const install = hint === undefined ? `install '${program}'` : `install it (${hint})`;
  return new UserError(
    'oracle-reference-missing',
    `the reference '${program}' was not found (oracle.reference: ${reference}). Either ${install}, or run against a recording: ` +
      `run 'gitswarm oracle record' where '${program}' is installed, commit the recording, and run 'gitswarm oracle --recording only'.`,
  );
}
