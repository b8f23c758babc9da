/** `gitswarm pause` / `gitswarm resume`: hold the live run's agents off new tasks, and let them go again. */
import { UserError } from "../../../../coordination/base/errors.js";
import type { ControlRequest } from "../../../control/control-state.js";
import { requestControl } from "../../../control/request-control.js";
import { resolveActor } from "../../cli-workspace.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
  type CommandIo,
} from "../../command.js";

/** Runs one control request for a command and reports it (shared with `gitswarm agent`). */
export async function runControlRequest(
  command: string,
  io: CommandIo,
  values: { repo?: string; as?: string; json?: boolean },
  request: ControlRequest,
): Promise<ExitCode> {
  const dir = repoDir(io, values.repo);
  // Who asked goes into the run's log; a machine with no git user.name still may steer its run.
  const by = await resolveActor(command, dir, values.as).then(
    (a) => a.name,
    (error: unknown) => {
      if (values.as !== undefined) throw error;
      return "someone";
    },
  );
  const result = await requestControl(dir, request, by);
  if (!result.ok) throw new UserError(result.reason, result.message);
  if (values.json)
    printJson(io, { ok: true, message: result.message, state: result.state });
  else io.stdout(`${result.message}\n`);
  return ExitCode.ok;
}

function controlCommand(kind: "pause" | "resume"): Command {
  return {
    name: kind,
    summary:
      kind === "pause"
        ? "pause the live run: agents finish their current step, then take no new task"
        : "resume a paused run",
    usage: `Usage: gitswarm ${kind} [--as NAME] [--repo DIR] [--json]

${
  kind === "pause"
    ? `Pauses the run that is live in this checkout (from any terminal): each agent finishes the step
it is on (an attempt in progress goes on to its end) and then waits, taking no new task, until
'gitswarm resume'. The state is kept in the run's control file (.gitswarm/runs/<run>/control.json)
and the pause is logged with NAME (--as, else git config user.name). Exit 2 when no run is live.`
    : `Resumes the run that is live in this checkout: its agents take tasks again. Exit 2 when no run
is live.`
}`,
    async run(argv, io) {
      const { values, positionals: args } = parseCommandArgs(kind, argv, {
        as: { type: "string" },
      });
      positionals(kind, args, []);
      return runControlRequest(kind, io, values, { kind });
    },
  };
}

export const pauseCommand = controlCommand("pause");
export const resumeCommand = controlCommand("resume");
