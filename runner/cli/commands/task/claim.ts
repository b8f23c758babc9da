/** `gitswarm claim TASK --as NAME`: claim one task from the clone at --repo (exit 0 won, 3 lost). */
import {
  claimTask,
  type ClaimResult,
} from "../../../../coordination/protocol/claim.js";
import { activeRun } from "../../../swarm/run-lock.js";
import { leaseOption } from "../../lease-option.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  type Command,
} from "../../command.js";
import { describeActor, openCliWorkspace } from "../../cli-workspace.js";

/** Refusals that mean the request itself was wrong (exit 2) rather than "not now" (exit 3). */
const BAD_INPUT = new Set([
  "unknown-task",
  "bad-progress",
  "bad-lock",
  "no-progress",
]);

export const claimCommand: Command = {
  name: "claim",
  summary: "claim one task (exit 0 won, 3 lost or not claimable now)",
  usage: `Usage: gitswarm claim TASK [--as NAME] [--lease DURATION] [--plan TEXT] [--repo DIR] [--json]

Claims TASK by pushing a lock commit (locks/TASK.md) to the hub's refs/swarm/tasks/TASK; main is
not written. Exactly one of many racing claimers wins; the others get exit code 3. Claiming a
task you hold resumes it (exit 0), once a fresh fetch of the hub confirms the lock is still yours:
made under the same name from this checkout (its runner id, .gitswarm/runner-id), and no
'gitswarm run' is live here. A claim made from another checkout or host is held, even under the
same name.
  --as NAME         who claims (agent or human; default: git config user.name)
  --lease DURATION  how long the claim lives without heartbeats (default: config 'lease', 10m)
  --plan TEXT       free text for the lock file
  --resume CLAIM    take over the claim with this id, made under the same name elsewhere`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("claim", argv, {
      as: { type: "string" },
      lease: { type: "string" },
      plan: { type: "string" },
      resume: { type: "string" },
    });
    const [taskId = ""] = positionals("claim", args, ["TASK"]);
    const { ws, config, actor } = await openCliWorkspace(io, values.repo, {
      command: "claim",
      as: values.as,
    });
    const agent = actor?.name ?? "";
    const lease =
      values.lease === undefined ? config.lease : leaseOption(values.lease);
    const result = await claimTask(ws, {
      taskId,
      agent,
      leaseMs: lease,
      plan: values.plan,
      ...(values.resume === undefined ? {} : { resumeClaim: values.resume }),
      runnerBusy: await activeRun(ws.dir),
      signal: io.signal,
    });
    const acting = describeActor(actor);
    if (acting !== undefined && !values.json) io.stderr(`${acting}\n`);
    if (values.json) printJson(io, result);
    else
      io[
        result.outcome === "won" || result.outcome === "resumed"
          ? "stdout"
          : "stderr"
      ](`${describe(result)}\n`);
    return exitCode(result);
  },
};

function describe(result: ClaimResult): string {
  switch (result.outcome) {
    case "won":
      return `claimed ${result.lock.task} as ${result.lock.agent} (claim ${result.lock.claimId}, lease until ${result.lock.leaseUntil}, work branch ${result.lock.branch})`;
    case "resumed":
      return `${result.lock.agent} already holds ${result.lock.task} (claim ${result.lock.claimId}): resuming`;
    case "refused":
      return `not claimed: ${result.message}`;
    case "contended":
      return `not claimed: ${result.message}`;
  }
}

function exitCode(result: ClaimResult) {
  if (result.outcome === "won" || result.outcome === "resumed")
    return ExitCode.ok;
  if (result.outcome === "refused" && BAD_INPUT.has(result.reason))
    return ExitCode.usage;
  return ExitCode.claimLost;
}
