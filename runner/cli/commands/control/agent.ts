/** `gitswarm agent stop|restart NAME`: stop one agent of the live run, or start it afresh. */
import { UserError } from "../../../../coordination/base/errors.js";
import { parseCommandArgs, positionals, type Command } from "../../command.js";
import { didYouMean } from "../../cli-errors.js";
import { runControlRequest } from "./pause.js";

export const agentCommand: Command = {
  name: "agent",
  summary:
    "stop one agent of the live run (its claim given back), or restart it",
  usage: `Usage: gitswarm agent stop|restart NAME [--as NAME] [--repo DIR] [--json]

stop      stops agent NAME of the run that is live in this checkout: its process gives its claim
          back (another agent may take the task) and it is not respawned. The run goes on with the
          others; stopping the last running agent ends the run (to hold everything, pause it).
restart   starts NAME afresh: a running agent stops keeping its claim and a new process resumes
          it at once; a stopped one starts again. Not counted as a respawn.
Both go through the run's control file (.gitswarm/runs/<run>/control.json), as the dashboard's
buttons do. Exit 2 when no run is live or NAME is not one of its agents.`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("agent", argv, {
      as: { type: "string" },
    });
    const [action = "", agent = ""] = positionals("agent", args, [
      "stop|restart",
      "NAME",
    ]);
    if (action !== "stop" && action !== "restart")
      throw new UserError(
        "usage",
        `gitswarm agent: unknown subcommand '${action}'${didYouMean(action, ["stop", "restart"])}; the subcommands are 'agent stop NAME' and 'agent restart NAME'`,
      );
    return runControlRequest("agent", io, values, { kind: action, agent });
  },
};
