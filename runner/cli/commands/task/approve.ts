/** `gitswarm approve TASK [--as NAME]` and `gitswarm reject TASK --reason TEXT`: answer work that waits for a human. */
import { UserError } from "../../../../coordination/base/errors.js";
import {
  decideApproval,
  describeAnswer,
} from "../../../gates/approval-decision.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  type Command,
} from "../../command.js";
import { openCliWorkspace } from "../../cli-workspace.js";
import { Git } from "../../../../coordination/git/git.js";

function decideCommand(state: "approved" | "rejected"): Command {
  const name = state === "approved" ? "approve" : "reject";
  return {
    name,
    summary:
      state === "approved"
        ? "approve work that waits for a human (review: { human: true } or approve: human): it lands"
        : "reject work that waits for a human: a failed attempt with --reason",
    usage: `Usage: gitswarm ${name} TASK ${state === "rejected" ? "--reason TEXT " : ""}[--as NAME] [--repo DIR] [--json]

${state === "approved" ? "Approves" : "Rejects"} the work on TASK that waits, passed and reviewed, for a human. The answer is recorded
on the hub (refs/swarm/approvals/TASK) with who gave it, and this command ${state === "approved" ? "lands the work (or hands it to the merge queue)" : "fails the attempt with the reason, which the next attempt's prompt shows"}:
no runner needs to run. Interrupted, it finishes when run again.
  --as NAME      who answers (default: git config user.name)${state === "rejected" ? "\n  --reason TEXT  why (required)" : ""}`,
    async run(argv, io) {
      const { values, positionals: args } = parseCommandArgs(name, argv, {
        as: { type: "string" },
        reason: { type: "string" },
      });
      const [taskId = ""] = positionals(name, args, ["TASK"]);
      if (state === "rejected" && !values.reason)
        throw new UserError("usage", "reject needs --reason TEXT");
      const { ws, repo, config } = await openCliWorkspace(io, values.repo);
      const by =
        values.as ??
        (await new Git(repo).tryRun(["config", "user.name"])).stdout.trim() ??
        "human";
      const { record, outcome } = await decideApproval(
        ws,
        taskId,
        { state, by: by || "human", reason: values.reason },
        { maxAttempts: config.maxAttempts, signal: io.signal },
      );
      const line = `${taskId}: ${record.state} by ${record.by} (work of ${record.agent}, attempt ${record.attempt}); ${describeAnswer(outcome)}`;
      if (values.json) printJson(io, { ...record, ...outcome });
      else io.stdout(`${line}\n`);
      return outcome.outcome === "conflict" || outcome.outcome === "over"
        ? ExitCode.failure
        : ExitCode.ok;
    },
  };
}

/** The approve command. */
export const approveCommand = decideCommand("approved");
/** The reject command. */
export const rejectCommand = decideCommand("rejected");
