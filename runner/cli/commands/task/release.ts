/** `gitswarm release TASK [--as NAME] [--done] [--reason TEXT]`: end a claim you hold. */
import { fetchMain } from "../../../../coordination/git/workspace.js";
import {
  blockTask,
  finishTask,
  releaseTask,
  type EndResult,
} from "../../../../coordination/protocol/finish.js";
import { readTaskView } from "../../../../coordination/state/hub-view.js";
import { UserError } from "../../../../coordination/base/errors.js";
import { runnerIdOf } from "../../../../coordination/git/runner-id.js";
import { notHeldBy } from "../../../../coordination/protocol/lock-owner.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  type Command,
} from "../../command.js";
import { describeActor, openCliWorkspace } from "../../cli-workspace.js";

export const releaseCommand: Command = {
  name: "release",
  summary:
    "give a claim back (--done finishes it in one commit, --reason records why)",
  usage: `Usage: gitswarm release TASK [--as NAME] [--done | --blocked] [--reason TEXT] [--claim ID] [--repo DIR] [--json]

Ends the claim NAME holds on TASK. Refused with exit 3 unless the lock on the hub is still that claim.
  --as NAME      who holds the claim (default: git config user.name)
  --done         finish the task: HEAD of this clone is merged onto the hub's main with the task
                 checked off in one commit, pushed atomically with the task ref's done marker
  --blocked      give the task up: it is marked blocked (with --reason) until a human reopens it
  --reason TEXT  why; recorded on the task ref (release) or in PROGRESS.md (blocked)
  --claim ID     the claim id to fence with (default: the one held by NAME on the hub)`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("release", argv, {
      as: { type: "string" },
      done: { type: "boolean", default: false },
      blocked: { type: "boolean", default: false },
      reason: { type: "string" },
      claim: { type: "string" },
    });
    const [taskId = ""] = positionals("release", args, ["TASK"]);
    if (values.done && values.blocked)
      throw new UserError("usage", "--done and --blocked exclude each other");
    if (values.blocked && values.reason === undefined)
      throw new UserError("usage", "--blocked needs --reason TEXT");
    const { ws, actor } = await openCliWorkspace(io, values.repo, {
      command: "release",
      as: values.as,
    });
    const agent = actor?.name ?? "";
    const acting = describeActor(actor);
    if (acting !== undefined && !values.json) io.stderr(`${acting}\n`);
    const held = values.claim ?? (await heldClaimId(ws, taskId, agent));
    const claim = {
      taskId,
      agent,
      claimId: typeof held === "string" ? held : "",
      signal: io.signal,
    };
    const result: EndResult =
      typeof held !== "string"
        ? held
        : values.done
          ? await finishTask(ws, {
              ...claim,
              work: "HEAD",
              summary: values.reason,
            })
          : values.blocked
            ? await blockTask(ws, { ...claim, reason: values.reason ?? "" })
            : await releaseTask(ws, { ...claim, reason: values.reason });
    if (values.json) printJson(io, result);
    else if (result.outcome === "landed")
      io.stdout(
        `${values.done ? "finished" : values.blocked ? "blocked" : "released"} ${taskId} as ${agent} (${result.commit.slice(0, 12)})\n`,
      );
    else io.stderr(`not released: ${result.message}\n`);
    if (result.outcome === "landed") return ExitCode.ok;
    return result.outcome === "fenced" ? ExitCode.claimLost : ExitCode.failure;
  },
};

/**
 * The claim id of the lock NAME holds on the hub (the CLI's default fencing token), or the fenced
 * result that says who holds the task instead, or that nobody does.
 */
async function heldClaimId(
  ws: Parameters<typeof readTaskView>[0],
  taskId: string,
  agent: string,
): Promise<string | EndResult> {
  await fetchMain(ws);
  const entry = (await readTaskView(ws, taskId)).locks[0];
  const runner = ws.runner ?? (await runnerIdOf(ws.git));
  const refused = entry?.ok
    ? notHeldBy(entry.lock, { agent, runner })
    : undefined;
  if (entry?.ok && refused === undefined) return entry.lock.claimId;
  const unchanged = "nothing was changed";
  if (entry === undefined)
    return {
      outcome: "fenced",
      message: `${agent} holds no claim on '${taskId}': it has no lock on the hub; ${unchanged}`,
    };
  if (entry.ok) {
    const holder = entry.lock;
    return {
      outcome: "fenced",
      holder,
      message: `'${taskId}' is ${refused ?? `held by ${holder.agent}`} (claim ${holder.claimId}); ${unchanged}`,
    };
  }
  throw new UserError(
    "bad-lock",
    `${entry.file}:${entry.line ?? 1}: ${entry.problem}; repair it on the hub's refs/swarm/tasks/${taskId}, or remove it: gitswarm locks break ${taskId} --force --as NAME`,
  );
}
