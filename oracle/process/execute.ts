/**
 * Runs one user command for one case through coordination/base/spawn.ts: its own process group, a timeout,
 * an output cap and the abort signal, so a hanging, crashing or flooding command becomes an
 * outcome, never a hung harness or a leftover process.
 */
import { decode, runProcess } from "../../coordination/base/spawn.js";
import { renderCommand } from "./command.js";
import type { CommandOutcome } from "../types.js";

/** What one command run needs: the template, the case, the repository (cwd) and the limits. */
export interface ExecuteOptions {
  template: string;
  casePath: string;
  content: Uint8Array;
  repoDir: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** The candidate, in an agent process: confined in the agent's sandbox (the reference is the user's). */
  confine?: boolean;
}

/** Exit status of `sh -c` when the command's program does not exist. */
export const COMMAND_NOT_FOUND = 127;

/** Runs the command once; throws only when `sh` itself cannot start (a broken environment). */
export async function executeCaseCommand(
  options: ExecuteOptions,
): Promise<CommandOutcome> {
  const rendered = renderCommand(options.template, options.casePath);
  const result = await runProcess(rendered.command, [], {
    cwd: options.repoDir,
    shell: true,
    // The case path is also in the environment, for commands that would rather read it there.
    env: { GITSWARM_CASE: options.casePath },
    ...(rendered.stdin ? { input: options.content } : {}),
    timeoutMs: options.timeoutMs,
    maxOutputBytes: options.maxOutputBytes,
    killGraceMs: 1000,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.confine === true ? { confine: { role: "candidate" } } : {}),
  });
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: result.stdout,
    stderrTail: tail(decode(result.stderr)),
    timedOut: result.timedOut,
    overflowed: result.overflowed,
    aborted: result.aborted,
    durationMs: result.durationMs,
  };
}

function tail(text: string): string {
  const lines = text.trimEnd().split("\n");
  return lines.slice(-3).join("\n").slice(-500);
}
