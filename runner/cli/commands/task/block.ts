/** `gitswarm block TASK --reason TEXT [--as NAME]`: keep the swarm off a task nobody holds. */
import { blockOpenTask } from "../../../../coordination/protocol/task-admin.js";
import { UserError } from "../../../../coordination/base/errors.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  type Command,
} from "../../command.js";
import { describeActor, openCliWorkspace } from "../../cli-workspace.js";

export const blockCommand: Command = {
  name: "block",
  summary:
    "block a task nobody holds, with a reason (gitswarm reopen undoes it)",
  usage: `Usage: gitswarm block TASK --reason TEXT [--as NAME] [--repo DIR] [--json]

Adds 'blocked: TEXT' to TASK in PROGRESS.md on the hub's main, in one commit by NAME (--as, else
git config user.name): no agent claims it until it is reopened. Exit 3 when TASK is held (its holder
gives it up with 'gitswarm release TASK --blocked'), done, or already blocked.`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("block", argv, {
      as: { type: "string" },
      reason: { type: "string" },
    });
    const [taskId = ""] = positionals("block", args, ["TASK"]);
    if (values.reason === undefined || values.reason.trim() === "")
      throw new UserError("usage", "gitswarm block needs --reason TEXT");
    const { ws, actor } = await openCliWorkspace(io, values.repo, {
      command: "block",
      as: values.as,
    });
    const acting = describeActor(actor);
    if (acting !== undefined && !values.json) io.stderr(`${acting}\n`);
    const result = await blockOpenTask(ws, {
      taskId,
      by: actor?.name ?? "",
      reason: values.reason,
      signal: io.signal,
    });
    if (values.json) printJson(io, result);
    else if (result.outcome === "landed")
      io.stdout(`blocked ${taskId} (${result.commit.slice(0, 12)})\n`);
    else io.stderr(`not blocked: ${result.message}\n`);
    return result.outcome === "landed" ? ExitCode.ok : ExitCode.claimLost;
  },
};
