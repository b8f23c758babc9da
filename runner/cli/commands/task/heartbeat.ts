/** `gitswarm heartbeat TASK [--as NAME]`: show the holder is alive by pushing its work branch. */
import { sendHeartbeat } from "../../../../coordination/protocol/heartbeat.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  type Command,
} from "../../command.js";
import { describeActor, openCliWorkspace } from "../../cli-workspace.js";

export const heartbeatCommand: Command = {
  name: "heartbeat",
  summary:
    "renew a claim's lease by pushing the holder's work branch (no commit on main)",
  usage: `Usage: gitswarm heartbeat TASK [--as NAME] [--claim ID] [--repo DIR] [--json]

Pushes a snapshot of this clone's working tree to the claim's work branch on the hub. The lock
cannot be broken while heartbeats keep coming within a lease length. Exit 3 if NAME no longer holds TASK.
NAME defaults to git config user.name.`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("heartbeat", argv, {
      as: { type: "string" },
      claim: { type: "string" },
    });
    const [taskId = ""] = positionals("heartbeat", args, ["TASK"]);
    const { ws, actor } = await openCliWorkspace(io, values.repo, {
      command: "heartbeat",
      as: values.as,
    });
    const agent = actor?.name ?? "";
    const acting = describeActor(actor);
    if (acting !== undefined && !values.json) io.stderr(`${acting}\n`);
    const result = await sendHeartbeat(ws, {
      taskId,
      agent,
      claimId: values.claim,
      signal: io.signal,
    });
    if (values.json) printJson(io, result);
    else if (result.ok)
      io.stdout(
        `heartbeat for ${taskId} by ${agent} at ${result.at} on ${result.branch}\n`,
      );
    else io.stderr(`no heartbeat: ${result.message}\n`);
    return result.ok ? ExitCode.ok : ExitCode.claimLost;
  },
};
