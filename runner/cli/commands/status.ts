/** `gitswarm status`: tasks with live status and holder, locks, and the latest run's agents and costs. */
import { formatQueueFigures } from "../../../scripts/analytics/queue.js";
import { readFleet } from "../../fleet/fleet-read.js";
import { formatFleet } from "../../fleet/runner-record.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  deriveSwarmState,
  readSwarmState,
  type SwarmState,
} from "../../../coordination/protocol/swarm-state.js";
import { PROGRESS_FILE } from "../../../coordination/state/hub-view.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import {
  ARCHIVE_FILE,
  readArchivedIds,
} from "../../../coordination/progress/archive.js";
import { UserError } from "../../../coordination/base/errors.js";
import {
  describeReviews,
  readLatestRunSummary,
  type RunSummary,
} from "../../swarm/run-summary.js";
import { costTableLines } from "../../../scripts/analytics/render/cost-render.js";
import {
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
} from "../command.js";
import { openCliWorkspace } from "../cli-workspace.js";
import { reportHubProblems } from "../hub-problems.js";
import { formatLocks, holderLabels } from "./task/locks.js";
import {
  formatRunningJob,
  readRunningJobs,
  type RunningJob,
} from "../../jobs/job-status.js";
import { UNGATED } from "../../gates/gate-plan.js";
import { readApprovals } from "../../gates/approval-ref.js";
import {
  approvalView,
  currentApproval,
  describeApproval,
  type ApprovalRecord,
  type ApprovalView,
} from "../../gates/approval-record.js";

export const statusCommand: Command = {
  name: "status",
  summary:
    "tasks (open / claimed / done / blocked) with holders, locks, agents and costs",
  usage: `Usage: gitswarm status [--repo DIR] [--json]

Reads the hub's main (after a fetch) and the latest run's event log (.gitswarm/runs/). The hub is
found as 'gitswarm run' finds it (hub.url, the embedded hub, the clone's hub remote); before the
first run there is none, and the tasks come from PROGRESS.md in the checkout.`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("status", argv, {});
    positionals("status", args, []);
    const opened = await openCliWorkspace(io, values.repo).catch(
      (error: unknown) => {
        if (error instanceof UserError && error.code === "no-hub-remote")
          return undefined;
        throw error;
      },
    );
    const repo = opened?.repo ?? repoDir(io, values.repo);
    const state =
      opened === undefined
        ? await readCheckoutState(repo)
        : await readSwarmState(opened.ws, { signal: io.signal });
    if (opened === undefined && !values.json)
      io.stdout(
        "no hub yet ('gitswarm run' creates one): tasks as PROGRESS.md in this checkout has them\n",
      );
    const run = await readLatestRunSummary(repo);
    const jobs =
      opened === undefined
        ? new Map<string, RunningJob>()
        : await readRunningJobs(opened.ws, state, io.signal);
    const fleet =
      opened === undefined
        ? []
        : await readFleet(opened.ws, new Date(), io.signal);
    const approvals = approvalsOf(
      state,
      opened === undefined ? [] : await readApprovals(opened.ws, io.signal),
    );
    if (values.json)
      printJson(io, {
        ...statusJson(state, run, jobs, approvals),
        runners: fleet,
      });
    else
      io.stdout(
        `${formatStatus(state, run, jobs, approvals)}\n${formatFleet(fleet).join("\n")}\n`,
      );
    for (const w of state.warnings ?? [])
      io.stderr(
        `gitswarm status: warning: ${w.file}:${w.line}: ${w.message}\n`,
      );
    return reportHubProblems(io, "status", state.problems);
  },
};

/** Before the first run: the tasks of the checkout's own PROGRESS.md, no locks. */
async function readCheckoutState(repo: string): Promise<SwarmState> {
  const text = await readFile(path.join(repo, PROGRESS_FILE), "utf8").catch(
    () => {
      throw new UserError(
        "no-progress",
        `${path.join(repo, PROGRESS_FILE)} does not exist; run 'gitswarm init' first`,
      );
    },
  );
  const archived = await readFile(path.join(repo, ARCHIVE_FILE), "utf8").then(
    readArchivedIds,
    () => [],
  );
  return deriveSwarmState(
    {
      tip: undefined,
      progress: parseProgress(text, PROGRESS_FILE),
      archivedIds: archived,
      locks: [],
    },
    new Map(),
    new Date(),
  );
}

/** The approval of each held claim's work that has one (waiting, or answered and landing). */
function approvalsOf(
  state: SwarmState,
  records: readonly ApprovalRecord[],
): Map<string, ApprovalView> {
  const views = new Map<string, ApprovalView>();
  for (const t of state.tasks) {
    const record = currentApproval(records, t.task.id, t.holder);
    if (record !== undefined) views.set(t.task.id, approvalView(record));
  }
  return views;
}

function statusJson(
  state: SwarmState,
  run: RunSummary | undefined,
  jobs: ReadonlyMap<string, RunningJob>,
  approvals: ReadonlyMap<string, ApprovalView>,
) {
  const labels = holderLabels(state.locks);
  return {
    tip: state.tip,
    counts: countByStatus(state),
    waitingForApproval: [...approvals]
      .filter(([, a]) => a.state === "waiting")
      .map(([id]) => id),
    tasks: state.tasks.map((t) => ({
      id: t.task.id,
      title: t.task.title,
      status: t.status,
      holder: t.holder?.agent ?? null,
      holderLabel: t.holder
        ? (labels.get(t.holder.claimId) ?? t.holder.agent)
        : null,
      claimId: t.holder?.claimId ?? null,
      needs: t.task.needs,
      waitingOn: t.waitingOn,
      claimable: t.claimable,
      tags: t.task.tags,
      blockedReason: t.task.blockedReason ?? null,
      review: t.marker?.review ?? null,
      approval: approvals.get(t.task.id) ?? null,
      // Work parked for a human is in `approval`, not in the merge queue.
      ...(t.queued && t.queued.hold === undefined
        ? { queued: { work: t.queued.work, since: t.queued.queuedAt } }
        : {}),
      // A running job's last metrics, GPUs, run id and end of its time limit (its last
      // heartbeat), a done job's landed figures.
      ...(t.task.run === undefined
        ? {}
        : {
            metrics: jobs.get(t.task.id)?.metrics ?? null,
            job: jobInfoJson(jobs.get(t.task.id)),
            result: t.task.result ?? null,
          }),
    })),
    locks: state.locks.map((l) =>
      l.entry.ok
        ? {
            task: l.entry.lock.task,
            agent: l.entry.lock.agent,
            label: labels.get(l.entry.lock.claimId) ?? l.entry.lock.agent,
            runner: l.entry.lock.runner ?? null,
            host: l.entry.lock.host,
            state: l.lease?.state,
          }
        : { file: l.entry.file, state: "malformed" },
    ),
    problems: state.problems,
    run: run ?? null,
  };
}

function countByStatus(state: SwarmState): Record<string, number> {
  const counts: Record<string, number> = {
    open: 0,
    claimed: 0,
    done: 0,
    blocked: 0,
  };
  for (const t of state.tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}

function jobInfoJson(job: RunningJob | undefined) {
  if (job?.runId === undefined) return null;
  return { runId: job.runId, gpus: job.gpus ?? [], until: job.until ?? null };
}

function formatStatus(
  state: SwarmState,
  run: RunSummary | undefined,
  jobs: ReadonlyMap<string, RunningJob>,
  approvals: ReadonlyMap<string, ApprovalView>,
): string {
  const now = new Date();
  const counts = countByStatus(state);
  const waiting = [...approvals.values()].filter(
    (a) => a.state === "waiting",
  ).length;
  const labels = holderLabels(state.locks);
  const lines = [
    `tasks: ${state.tasks.length} (${counts.done} done, ${counts.claimed} claimed${waiting > 0 ? ` (${waiting} waiting for approval)` : ""}, ${counts.open} open, ${counts.blocked} blocked)`,
    ...state.tasks.map((t) => {
      const mark = { open: "[ ]", claimed: "[~]", done: "[x]", blocked: "[!]" }[
        t.status
      ];
      const approval = approvals.get(t.task.id);
      const extra =
        t.queued && t.queued.hold === undefined
          ? ` — ${t.queued.agent}, queued for landing since ${t.queued.queuedAt}`
          : approval
            ? ` — ${describeApproval(approval)}`
            : t.holder
              ? ` — ${labels.get(t.holder.claimId) ?? t.holder.agent}`
              : t.status === "done" && t.marker?.review
                ? ` — reviewed: ${t.marker.review}`
                : t.status === "blocked"
                  ? ` — ${t.task.blockedReason}`
                  : t.waitingOn.length
                    ? ` (waits on ${t.waitingOn.join(", ")})`
                    : "";
      const job = t.status === "claimed" ? jobs.get(t.task.id) : undefined;
      const jobLine = job ? `\n      job: ${formatRunningJob(job, now)}` : "";
      return `  ${mark} ${t.task.id}: ${t.task.title}${extra}${jobLine}`;
    }),
    "",
    `locks:`,
    formatLocks(state.locks).trimEnd().replace(/^/gm, "  "),
  ];
  if (run) {
    lines.push(
      "",
      `last run ${run.runId} (${run.state}): ${run.tasksDone} done, $${run.costUsd.toFixed(4)} spent`,
    );
    const reviews = describeReviews(run.reviews);
    if (reviews) lines.push(`  ${reviews}`);
    if (run.ungated)
      lines.push(
        `  ${UNGATED}: nothing but 'no change' and gates: checked the work`,
      );
    else if (run.gates) lines.push(`  gates: ${run.gates.join(" → ")}`);
    if (run.queue) lines.push(`  ${formatQueueFigures(run.queue)}`);
    if (run.coalesce?.last)
      lines.push(
        `  coalescer: ${run.coalesce.runs} run(s); last: ${run.coalesce.last}`,
      );
    for (const agent of run.agents) {
      lines.push(
        `  ${agent.name.padEnd(16)} ${agent.kind.padEnd(12)} ${agent.tasksDone} done  $${agent.costUsd.toFixed(4)}  ${agent.calls} calls`,
      );
    }
    lines.push(...costTableLines(run.costs));
  }
  return `${lines.join("\n")}\n`;
}
