/**
 * What a CLI command is, and the shared plumbing to parse its arguments. Each command lives in one
 * file in runner/cli/commands/ and calls one library function.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import path from "node:path";
import { UserError } from "../../coordination/base/errors.js";
import { RunExitCode } from "../swarm/run-exit-code.js";
import { parseArgsError } from "./cli-errors.js";

/** Exit codes of the command-line contract (`gitswarm run`'s own are in RunExitCode). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  claimLost: 3,
  ...RunExitCode,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a command writes and what it runs in; tests pass their own. */
export interface CommandIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (live views); false in pipes, CI and tests. */
  isTty: boolean;
  /** Aborted on Ctrl-C (first press); long-running commands stop gracefully. */
  signal: AbortSignal;
  /** Whether the process stops when its parent exits (`run --on-parent-exit`); absent in tests. */
  setParentExitPolicy?(policy: "stop" | "continue"): void;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage lines and option descriptions, printed by `gitswarm help NAME` and on bad usage. */
  usage: string;
  run(argv: string[], io: CommandIo): Promise<ExitCode>;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options every command accepts. */
export const commonOptions = {
  repo: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies Options;

/**
 * Parses a command's arguments strictly; unknown flags and missing values become a `UserError`
 * naming the command so the CLI prints its usage with exit code 2.
 */
export function parseCommandArgs<const O extends Options>(
  command: string,
  argv: string[],
  options: O,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...commonOptions, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // One clean line (main.ts names the command), the closest option for a typo.
    throw parseArgsError(error as Error, [
      ...Object.keys(commonOptions),
      ...Object.keys(options),
    ]);
  }
}

/** The repository a command works on: `--repo DIR`, else the current directory. */
export function repoDir(io: CommandIo, repo: string | undefined): string {
  return path.resolve(io.cwd, repo ?? ".");
}

/** Takes exactly `count` positionals or throws a usage error that shows what was expected. */
export function positionals(
  command: string,
  values: string[],
  names: string[],
): string[] {
  if (values.length !== names.length) {
    const wanted = names.map((n) => `<${n}>`).join(" ");
    throw new UserError(
      "usage",
      `gitswarm ${command} expects ${wanted}, got ${values.length} argument(s)`,
    );
  }
  return values;
}

/** Writes a value as one line of JSON. */
export function printJson(io: CommandIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + "\n");
}
