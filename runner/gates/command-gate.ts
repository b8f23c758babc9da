/**
 * A project gate (`gates: [{ name: lint, command: npm run lint }]`): the user's shell command run in
 * the agent's clone on the rebased work. A non-zero exit, a timeout or a kill is a failed attempt
 * whose reason carries the tail of the output, so the next attempt sees what broke. Whatever the
 * command left in the tree is discarded: what was gated is what lands.
 */
import { parseDuration } from "../../coordination/base/duration.js";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import {
  withWorkspaceLock,
  type Workspace,
} from "../../coordination/git/workspace.js";

/** A command gate as configured. */
export interface CommandGate {
  name: string;
  command: string;
  timeout: string;
}

/** What a command gate decided. */
export type CommandVerdict = { ok: true } | { ok: false; reason: string };

const TAIL_CHARS = 1500;

/** Runs one command gate in the clone; never throws for a failing command. */
export async function runCommandGate(
  ws: Workspace,
  gate: CommandGate,
  signal?: AbortSignal,
): Promise<CommandVerdict> {
  const timeoutMs = parseDuration(gate.timeout) ?? 10 * 60_000;
  let result: Awaited<ReturnType<typeof runProcess>>;
  try {
    result = await runProcess(gate.command, [], {
      cwd: ws.dir,
      shell: true,
      timeoutMs,
      signal,
      maxOutputBytes: 4 * 1024 * 1024,
      // It runs what the agent wrote (scripts, tests, configs): in the agent's sandbox, if any.
      confine: { role: "candidate" },
    });
  } catch (error) {
    return {
      ok: false,
      reason: `gate ${gate.name} could not start '${gate.command}': ${(error as Error).message}`,
    };
  } finally {
    await withWorkspaceLock(ws, async () => {
      await ws.git.run(["reset", "--quiet", "--hard"]);
      await ws.git.run(["clean", "--quiet", "-fd"]);
    });
  }
  return commandVerdict(gate, {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    output: `${decode(result.stdout)}${decode(result.stderr)}`,
    timeoutMs,
  });
}

/** The verdict for a finished command. Pure. */
export function commandVerdict(
  gate: Pick<CommandGate, "name" | "command">,
  run: {
    exitCode: number | null;
    timedOut: boolean;
    output: string;
    timeoutMs: number;
  },
): CommandVerdict {
  if (run.exitCode === 0 && !run.timedOut) return { ok: true };
  const how = run.timedOut
    ? `timed out after ${Math.round(run.timeoutMs / 1000)}s`
    : run.exitCode === null
      ? "was killed"
      : `exited ${run.exitCode}`;
  const output = run.output.trim();
  const tail =
    output.length > TAIL_CHARS
      ? `…${output.slice(output.length - TAIL_CHARS)}`
      : output;
  return {
    ok: false,
    reason: `gate ${gate.name} failed: '${gate.command}' ${how}${tail === "" ? "" : `: ${tail}`}`,
  };
}
