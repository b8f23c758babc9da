/**
 * Finding the program a command line starts, as the shell would (a path, or the first match on
 * PATH): to tell a missing reference binary early, and to notice in the cache key that the
 * program itself changed (an upgraded sqlite3 or node).
 */
import { access, constants, stat } from "node:fs/promises";
import path from "node:path";
import { commandProgram } from "./command.js";

// Shell builtins and keywords are not on PATH; callers treat them as "cannot tell".
const SHELL_WORDS = new Set([
  ...[
    "cd",
    "exec",
    "env",
    "time",
    "test",
    "[",
    "true",
    "false",
    "echo",
    "printf",
    "if",
    "for",
    "while",
  ],
  ...[
    "set",
    "export",
    ".",
    "source",
    "command",
    "nice",
    "timeout",
    "exit",
    "read",
    "eval",
    "{",
    "(",
  ],
]);

/** Where a command's program lives: a path, `missing`, or `unknown` (a builtin, a variable, a subshell). */
export type ProgramLocation =
  | { found: true; program: string; file: string }
  | { found: false; program?: string };

/** Resolves the program of `command` against `repoDir` (for relative paths) and PATH. */
export async function locateProgram(
  repoDir: string,
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProgramLocation> {
  const program = commandProgram(command);
  if (program === undefined || SHELL_WORDS.has(program))
    return { found: false };
  const candidates = program.includes("/")
    ? [path.resolve(repoDir, program)]
    : (env.PATH ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      if ((await stat(file)).isFile()) return { found: true, program, file };
    } catch {
      // Not here; try the next PATH entry.
    }
  }
  return { found: false, program };
}

/** A cheap identity of a program binary (path, size, mtime), so an upgrade changes cache keys. */
export async function programIdentity(
  repoDir: string,
  command: string | undefined,
): Promise<string> {
  if (command === undefined) return "";
  const location = await locateProgram(repoDir, command);
  if (!location.found) return "";
  const info = await stat(location.file);
  return `${location.file}\0${info.size}\0${info.mtimeMs}`;
}
