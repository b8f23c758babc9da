/**
 * The CLI entry: picks the command, runs it, and maps errors to exit codes in one place
 * (UserError → 2, anything else → 1). Only runner/cli/ touches argv, the terminal and exit codes.
 */
import { SwarmError, UserError } from "../../coordination/base/errors.js";
import { GITSWARM_VERSION } from "../../coordination/base/version.js";
import { COMMAND_NAMES } from "../command-names.js";
import { didYouMean, errorJson } from "./cli-errors.js";
import { ExitCode, type Command, type CommandIo } from "./command.js";
import { loadAllCommands, loadCommand } from "./commands/index.js";
import { readHelpIndex } from "./help-index.js";
import { createProcessIo } from "./process-io.js";

/** Runs `gitswarm <argv>` and resolves to the exit code. */
export async function main(
  argv: string[],
  io: CommandIo = createProcessIo(),
): Promise<number> {
  const [name, ...rest] = argv;
  if (
    name === undefined ||
    name === "--help" ||
    name === "-h" ||
    name === "help"
  ) {
    const topic = name === "help" ? rest[0] : undefined;
    return printHelp(io, topic);
  }
  if (name === "--version") {
    io.stdout(`gitswarm ${GITSWARM_VERSION}\n`);
    return ExitCode.ok;
  }
  const json = rest.includes("--json");
  const command = await loadCommand(name);
  if (command === undefined) {
    const message = `unknown command '${name}'${didYouMean(name, COMMAND_NAMES)}. Run 'gitswarm --help' for the list.`;
    if (json) printJsonError(io, errorJson("usage", message));
    io.stderr(`gitswarm: ${message}\n`);
    return ExitCode.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(command.usage.trimEnd() + "\n");
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (json) reportJsonError(io, error);
    return reportError(io, command, error);
  }
}

/**
 * With --json: the error also as one JSON line on stdout. One line, because `run --json` is a
 * stream of event lines that a reader parses line by line; stderr still gets the human message.
 */
function reportJsonError(io: CommandIo, error: unknown): void {
  printJsonError(
    io,
    error instanceof SwarmError
      ? errorJson(error.code, error.message)
      : errorJson(
          "internal",
          `internal error (please report): ${String(error)}`,
        ),
  );
}

function printJsonError(
  io: CommandIo,
  value: ReturnType<typeof errorJson>,
): void {
  io.stdout(JSON.stringify(value) + "\n");
}

function reportError(io: CommandIo, command: Command, error: unknown): number {
  if (error instanceof UserError) {
    io.stderr(`gitswarm ${command.name}: ${error.message}\n`);
    if (error.code === "usage") io.stderr(`\n${command.usage.trimEnd()}\n`);
    return ExitCode.usage;
  }
  if (error instanceof SwarmError) {
    io.stderr(`gitswarm ${command.name}: ${error.message}\n`);
    return ExitCode.failure;
  }
  io.stderr(
    `gitswarm ${command.name}: internal error (please report): ${(error as Error)?.stack ?? String(error)}\n`,
  );
  return ExitCode.failure;
}

async function printHelp(
  io: CommandIo,
  topic: string | undefined,
): Promise<number> {
  if (topic !== undefined) {
    const command = await loadCommand(topic);
    if (command === undefined) {
      io.stderr(
        `gitswarm: no command '${topic}'${didYouMean(topic, COMMAND_NAMES)}.\n`,
      );
      return ExitCode.usage;
    }
    io.stdout(command.usage.trimEnd() + "\n");
    return ExitCode.ok;
  }
  // The build's index of names and summaries: `--help` then loads no command at all.
  const commands = (await readHelpIndex()) ?? (await loadAllCommands());
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  io.stdout(
    [
      "gitswarm — a git-native swarm runner for AI coding agents",
      "",
      "Usage: gitswarm <command> [options]   (every command takes --repo DIR; reports take --json)",
      "",
      "Commands:",
      ...lines,
      "",
      "Exit codes: 0 ok, 1 failure, 2 bad usage/input/config, 3 claim lost or lock held by another.",
      "Run 'gitswarm help <command>' for a command's options.",
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}
