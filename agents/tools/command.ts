/**
 * `run_command`: a shell command in the workspace, through coordination/base/spawn.ts — its own process group
 * killed on timeout or abort, output capped, and an environment without secrets.
 */
import { decode, runProcess } from "../../coordination/base/spawn.js";
import { truncateOutput } from "./truncate.js";
import {
  spec,
  toolError,
  type Tool,
  type ToolContext,
  type ToolOutcome,
} from "./tool.js";

const MAX_CAPTURE_BYTES = 4 * 1024 * 1024;

/** Formats a finished command for the model: exit status, then stdout and stderr. */
export function formatCommandResult(
  r: {
    exitCode: number | null;
    signal: string | null;
    timedOut: boolean;
    overflowed: boolean;
    stdout: string;
    stderr: string;
  },
  timeoutMs: number,
): string {
  const status = r.timedOut
    ? `killed after ${timeoutMs} ms (timeout); the command and its children were stopped`
    : r.overflowed
      ? "killed: output passed the capture limit"
      : r.exitCode === null
        ? `killed by ${r.signal ?? "a signal"}`
        : `exit code ${r.exitCode}`;
  const parts = [status];
  if (r.stdout !== "") parts.push(`--- stdout ---\n${r.stdout}`);
  if (r.stderr !== "") parts.push(`--- stderr ---\n${r.stderr}`);
  return parts.join("\n");
}

/** Runs `command` with `sh -c` in the workspace under the context's limits. */
export async function runToolCommand(
  command: string,
  context: ToolContext,
  timeoutMs: number,
): Promise<ToolOutcome> {
  const result = await runProcess("/bin/sh", ["-c", command], {
    cwd: context.workspace,
    env: context.env,
    extendEnv: false,
    timeoutMs,
    signal: context.signal,
    maxOutputBytes: MAX_CAPTURE_BYTES,
    killGraceMs: 500,
    confine: { role: "tool" },
  });
  const text = formatCommandResult(
    { ...result, stdout: decode(result.stdout), stderr: decode(result.stderr) },
    timeoutMs,
  );
  const out = truncateOutput(
    text,
    context.maxOutputChars,
    "pipe through head/tail or grep",
  );
  return {
    content: out.text,
    isError: result.exitCode !== 0,
    truncated: out.truncated,
  };
}

/** The command tool. */
export const runCommandTool: Tool = {
  spec: spec(
    "run_command",
    "Run a shell command in the workspace root (tests, builds). Secrets are not in its environment.",
    {
      command: { type: "string", description: "the shell command line" },
      timeout_seconds: {
        type: "number",
        description: "kill it after this many seconds (optional, capped)",
      },
    },
    ["command"],
  ),
  async run(args, context) {
    if (typeof args.command !== "string" || args.command.trim() === "")
      return toolError("argument 'command' must be a non-empty string");
    const asked =
      typeof args.timeout_seconds === "number" && args.timeout_seconds > 0
        ? args.timeout_seconds * 1000
        : context.commandTimeoutMs;
    return runToolCommand(
      args.command,
      context,
      Math.min(asked, context.commandTimeoutMs),
    );
  },
};
