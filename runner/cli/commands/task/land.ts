/**
 * `gitswarm land`: the merge queue by hand. `land TASK --queue` enqueues this clone's HEAD as the
 * work of the claim NAME holds on TASK (the lander lands it; the claim stays held by the queue);
 * `land` with no task runs one lander here until the queue is empty.
 */
import { UserError } from "../../../../coordination/base/errors.js";
import { parseDuration } from "../../../../coordination/base/duration.js";
import { fetchMain } from "../../../../coordination/git/workspace.js";
import { enqueueWork } from "../../../../coordination/queue/enqueue.js";
import { readTaskView } from "../../../../coordination/state/hub-view.js";
import { loadOracleConfig } from "../../../../oracle/index.js";
import { runLander } from "../../../queue/lander.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  type Command,
} from "../../command.js";
import { describeActor, openCliWorkspace } from "../../cli-workspace.js";

export const landCommand: Command = {
  name: "land",
  summary:
    "enqueue a claim's work for the merge queue (--queue), or run the lander once",
  usage: `Usage: gitswarm land TASK --queue [--as NAME] [--reason TEXT] [--repo DIR] [--json]
       gitswarm land [--repo DIR] [--json]

With TASK and --queue: enqueues HEAD of this clone as the work of the claim NAME holds on TASK, in
one atomic push fenced on that claim's lock (exit 3 when the lock is no longer NAME's). The claim
stays held, by the queue, until a lander lands the work or hands it back.
Without TASK: claims the recurring task 'swarm-land' and lands the queue in batches (the full
oracle once per batch, one atomic push per batch) until it is empty; exit 3 when another lander
holds it, or runs in this folder (.gitswarm/lander.lock). A lander killed here is resumed by the
next 'gitswarm land' in the same folder at once.
  --as NAME      who holds the claim (default: git config user.name)
  --reason TEXT  the summary the done-commit will carry`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("land", argv, {
      queue: { type: "boolean", default: false },
      as: { type: "string" },
      reason: { type: "string" },
    });
    const [taskId] = args;
    if (taskId === undefined) {
      positionals("land", args, []);
      if (values.queue)
        throw new UserError("usage", "--queue needs the TASK to enqueue");
      return landQueue(io, values.repo, values.json);
    }
    positionals("land", args, ["TASK"]);
    if (!values.queue)
      throw new UserError(
        "usage",
        "gitswarm land TASK needs --queue (to finish a task yourself: gitswarm release TASK --done)",
      );
    const { ws, actor } = await openCliWorkspace(io, values.repo, {
      command: "land",
      as: values.as,
    });
    const agent = actor?.name ?? "";
    const acting = describeActor(actor);
    if (acting !== undefined && !values.json) io.stderr(`${acting}\n`);
    await fetchMain(ws, io.signal);
    const entry = (await readTaskView(ws, taskId)).locks[0];
    if (!entry?.ok || entry.lock.agent !== agent) {
      io.stderr(
        `not queued: ${agent} holds no claim on '${taskId}'${entry?.ok ? ` (held by ${entry.lock.agent})` : ""}; nothing was changed\n`,
      );
      return ExitCode.claimLost;
    }
    const result = await enqueueWork(ws, {
      taskId,
      agent,
      claimId: entry.lock.claimId,
      work: "HEAD",
      summary: values.reason,
      signal: io.signal,
    });
    if (values.json) printJson(io, result);
    else if (result.outcome === "queued")
      io.stdout(
        `queued ${taskId} (${result.entry.work.slice(0, 12)}) as ${agent}: the lander lands it\n`,
      );
    else io.stderr(`not queued: ${result.message}\n`);
    return result.outcome === "queued" ? ExitCode.ok : ExitCode.claimLost;
  },
};

async function landQueue(
  io: Parameters<Command["run"]>[1],
  repo: string | undefined,
  json: boolean,
): Promise<ExitCode> {
  const { ws, repo: dir, config } = await openCliWorkspace(io, repo);
  const lines: string[] = [];
  const end = await runLander({
    home: ws,
    repoDir: dir,
    loadOracle: async (clone) => {
      const oracle = await loadOracleConfig(clone);
      return oracle.candidate === undefined ? undefined : oracle;
    },
    limits: config.queue.batch,
    speculate: config.queue.speculate,
    pollMs: parseDuration(config.queue.poll),
    maxAttempts: config.maxAttempts,
    leaseMs: config.lease,
    emit: (event) => {
      if (event.type !== "queue") return;
      lines.push(`${event.phase}: ${event.detail}`);
      if (!json) io.stderr(`queue ${event.phase}: ${event.detail}\n`);
    },
    signal: io.signal,
  });
  if (json) printJson(io, { ...end, events: lines });
  else
    io.stdout(
      end.outcome === "busy"
        ? end.local
          ? `another lander runs in ${dir} (.gitswarm/lander.lock)\n`
          : `another lander holds the queue${end.holder ? ` (${end.holder})` : ""}\n`
        : end.lost !== undefined
          ? `stopped: the lander's lease was lost (${end.lost})\n`
          : `the queue is empty (${end.turns} turn(s))\n`,
    );
  return end.outcome === "busy" ? ExitCode.claimLost : ExitCode.ok;
}
