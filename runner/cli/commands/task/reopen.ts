/** `gitswarm reopen TASK [--as NAME]`: give a blocked task back to the swarm (its `blocked:` line removed on the hub). */
import { reopenTask } from "../../../../coordination/protocol/task-admin.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  type Command,
} from "../../command.js";
import { describeActor, openCliWorkspace } from "../../cli-workspace.js";

export const reopenCommand: Command = {
  name: "reopen",
  summary:
    "reopen a blocked task (removes its blocked: line on the hub's main)",
  usage: `Usage: gitswarm reopen TASK [--as NAME] [--repo DIR] [--json]

Removes TASK's 'blocked:' line from PROGRESS.md on the hub's main, in one commit by NAME (--as,
else git config user.name), as removing it by hand does: the next claim is the task's next attempt.
Exit 3 when TASK is not blocked.`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("reopen", argv, {
      as: { type: "string" },
    });
    const [taskId = ""] = positionals("reopen", args, ["TASK"]);
    const { ws, actor } = await openCliWorkspace(io, values.repo, {
      command: "reopen",
      as: values.as,
    });
    const acting = describeActor(actor);
    if (acting !== undefined && !values.json) io.stderr(`${acting}\n`);
    const result = await reopenTask(ws, {
      taskId,
      by: actor?.name ?? "",
      signal: io.signal,
    });
    if (values.json) printJson(io, result);
    else if (result.outcome === "landed")
      io.stdout(`reopened ${taskId} (${result.commit.slice(0, 12)})\n`);
    else io.stderr(`not reopened: ${result.message}\n`);
    return result.outcome === "landed" ? ExitCode.ok : ExitCode.claimLost;
  },
};
