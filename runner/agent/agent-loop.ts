/**
 * One agent's loop: sync → pick → claim → work on its branch with heartbeats → gate (rebase,
 * full oracle, ratchet) → the single fenced done-commit (gated again when main moved under it) →
 * next task. A failed attempt is released with its reason recorded on the task ref's marker (the
 * next attempt's prompt shows it); after `maxAttempts` the task is marked blocked. Runs inside an agent process
 * (runner/agent/agent-process.ts); reports through `emit`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { emptyUsage, type WorkOutcome } from "../../agents/types.js";
// Not the agents/ barrel: that would load every vendor SDK into a scripted agent's process.
import { describeOutcome } from "../../agents/outcome-text.js";
import {
  releaseTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import type { Lock } from "../../coordination/state/lock-file.js";
import { checkoutWorkBranch } from "../../coordination/protocol/resume.js";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import type { Task } from "../../coordination/progress/task.js";
import { withWorkspaceLock } from "../../coordination/git/workspace.js";
import { sleep } from "../../coordination/git/backoff.js";
import { notesWithAttempts, previousFailure } from "./attempts.js";
import { startHeartbeats } from "./heartbeat-timer.js";
import { hasWorkAhead, pickTask, type SchedulingContext } from "./scheduler.js";
import type { Gpu } from "../jobs/gpu-inventory.js";
import { concludeJob, prepareJob } from "../jobs/job-host.js";
import { readLastMetrics } from "../jobs/job-metrics.js";
import { claimWithDevices, fail, reportTooBig } from "./attempt-claim.js";
import type { AgentLoopOptions } from "./agent-loop-options.js";
import { commitWork, strippedNote } from "./work-commit.js";
import { landWork } from "./work-landing.js";
import { defer, findWaitingWork } from "../gates/gate-edges.js";
import { isReleaseStop } from "./release-stop.js";
import { settleGoneTask } from "./task-gone.js";

/** Why an agent's loop ended; `auth`: its credentials were refused, so every task would fail alike. */
export type LoopEnd = "idle" | "stopped" | "budget" | "max-tasks" | "auth";

/** Runs until nothing is left for this agent, the budget is spent, or the signal aborts. */
export async function runAgentLoop(
  options: AgentLoopOptions,
): Promise<LoopEnd> {
  const { ws, me, emit, signal } = options;
  let done = 0;
  const avoid = new Set<string>();
  let crashNote = options.previousCrash;
  const scheduling: SchedulingContext =
    options.jobHost === undefined
      ? options.scheduling
      : {
          ...options.scheduling,
          hostGpus: options.jobHost.inventory.gpus.length,
        };
  while (!signal.aborted) {
    if (
      options.budgetPool !== undefined &&
      (await options.budgetPool.remaining()) <= 0
    )
      return "budget";
    if (options.maxTasks !== undefined && done >= options.maxTasks)
      return "max-tasks";
    const state = await readSwarmState(ws, { leases: false, signal });
    // A claim whose work waits in the merge queue is the lander's to finish, not ours to resume.
    const mine = state.tasks.find(
      (t) => t.holder?.agent === me.name && t.queued === undefined,
    );
    const pick = mine ?? pickTask(state, me, { ...scheduling, avoid });
    if (pick === undefined) {
      if (!hasWorkAhead(state, me, scheduling)) {
        reportTooBig(options, state.tasks);
        return "idle";
      }
      emit({ type: "agent-state", agent: me.name, state: "waiting" });
      await sleep(options.idlePollMs ?? 1000, signal).catch(() => undefined);
      continue;
    }
    // GPUs are leased on this host before the claim: a claim never waits for a device.
    const held = await claimWithDevices(options, pick);
    if (held === undefined) continue;
    const { claim, devices, gpus, fresh } = held;
    // The lock commit lives on the task ref (a one-file tree); work starts from main.
    const start = `${ws.remote}/${ws.branch}`;
    let result: AttemptResult;
    try {
      result = await attemptTask(
        options,
        pick.task,
        claim.lock,
        start,
        crashNote ?? previousFailure(pick.task, pick.marker),
        gpus,
        fresh,
      );
    } finally {
      await devices.lease?.release();
    }
    crashNote = undefined;
    if (result.authFailed) return "auth";
    if (result.done) done += 1;
    else avoid.add(pick.task.id);
    if (result.rateLimitedUntil !== undefined)
      await sleep(
        Math.max(0, Date.parse(result.rateLimitedUntil) - Date.now()),
        signal,
      ).catch(() => undefined);
  }
  return "stopped";
}

interface AttemptResult {
  done: boolean;
  costUsd: number;
  rateLimitedUntil?: string;
  /** The provider refused the agent's key or login: the task was given back uncounted. */
  authFailed?: boolean;
}

async function attemptTask(
  options: AgentLoopOptions,
  task: Task,
  lock: Lock,
  start: string,
  previousFailure: string | undefined,
  gpus: readonly Gpu[],
  fresh = false,
): Promise<AttemptResult> {
  const { ws, me, emit, signal } = options;
  const claim: HeldClaim = {
    taskId: task.id,
    agent: me.name,
    claimId: lock.claimId,
  };
  emit({
    type: "agent-state",
    agent: me.name,
    state: "working",
    task: task.id,
  });
  await checkoutWorkBranch(ws, lock, start, signal, fresh);
  const heartbeatMs = Math.max(500, Math.floor(options.leaseMs / 3));
  const job =
    options.jobHost !== undefined && task.run !== undefined
      ? await prepareJob(options.jobHost, task, gpus, ws)
      : undefined;
  const heartbeats = startHeartbeats(
    ws,
    claim,
    heartbeatMs,
    emit,
    job && (() => readLastMetrics(job.paths.metricsFile)),
  );
  // Work that waited for a human when this agent last stopped is done: back to its gates.
  const waited = await findWaitingWork(options, task, claim, lock.attempt);
  let outcome: WorkOutcome;
  try {
    outcome = waited
      ? { kind: "finished", summary: waited.summary, usage: emptyUsage() }
      : await options.agent.work({
          workspaceDir: ws.dir,
          task: {
            id: task.id,
            title: task.title,
            notes: notesWithAttempts(task, lock.attempt, previousFailure),
            needs: task.needs,
            tags: task.tags,
            run: task.run,
          },
          context: {
            design: await readOptional(path.join(ws.dir, "DESIGN.md")),
            previousFailure,
          },
          budget: {
            taskUsd: options.taskBudgetUsd,
            pool: options.budgetPool,
          },
          ...(job ? { job: job.runtime } : {}),
          signal,
        });
  } finally {
    await heartbeats.stop();
  }
  const costUsd = outcome.usage.costUsd;
  const stopped = (): AttemptResult => {
    // Stopping: the work is on the hub (last heartbeat); the lock stays with its lease so a restart resumes it.
    emit({
      type: "agent-state",
      agent: me.name,
      state: "stopped",
      task: task.id,
    });
    return { done: false, costUsd };
  };
  if (signal.aborted && isReleaseStop(signal.reason)) {
    const reason = signal.reason.message;
    await releaseTask(ws, { ...claim, reason });
    emit({ type: "released", agent: me.name, task: task.id, reason });
    return stopped();
  }
  if (signal.aborted) return stopped();
  if (outcome.kind === "failed" && outcome.error.kind === "rate-limited") {
    await releaseTask(ws, {
      ...claim,
      reason: `rate limited${outcome.error.until ? ` until ${outcome.error.until}` : ""}`,
    });
    emit({
      type: "released",
      agent: me.name,
      task: task.id,
      reason: "rate limited",
    });
    return { done: false, costUsd, rateLimitedUntil: outcome.error.until };
  }
  if (outcome.kind === "failed" && outcome.error.kind === "auth") {
    // Not the task's fault: give it back without counting an attempt, and stop this agent (a
    // missing or revoked key fails every task the same way; retrying would burn the task's attempts).
    const reason = `auth failed: ${outcome.error.detail ?? "credentials refused"}`;
    await releaseTask(ws, { ...claim, reason });
    emit({ type: "released", agent: me.name, task: task.id, reason });
    emit({
      type: "error",
      agent: me.name,
      task: task.id,
      message: `${me.name} stops: ${reason} (fix its key or login, see 'gitswarm doctor')`,
    });
    return { done: false, costUsd, authFailed: true };
  }
  if (outcome.kind === "failed" && outcome.error.kind === "preempted") {
    // Preempted (exit 75): requeued at the same attempt, its checkpoints kept for the next claim.
    const reason = `preempted: ${outcome.error.detail ?? "requeued"}`;
    await releaseTask(ws, { ...claim, reason });
    emit({ type: "released", agent: me.name, task: task.id, reason });
    return { done: false, costUsd };
  }
  if (outcome.kind !== "finished")
    return fail(options, claim, lock, describeOutcome(outcome), costUsd);
  const conclusion = job
    ? await concludeJob(job, task.id, ws.dir)
    : { ok: true as const, result: undefined };
  if (!conclusion.ok)
    return fail(options, claim, lock, conclusion.reason, costUsd);
  // Under the workspace lock: a late heartbeat snapshot must not interleave with the commit.
  const work = await withWorkspaceLock(ws, () =>
    commitWork(ws, task.id, me.name),
  );
  const end = await landWork(ws, {
    task,
    claim,
    // The done-commit says what was stripped from the agent's .gitattributes.
    summary: [outcome.summary, strippedNote(work.stripped)]
      .filter((part) => part !== "")
      .join("\n\n"),
    result: conclusion.result,
    oracle: options.oracle,
    gates: options.gates,
    review: {
      authorKind: me.kind,
      attempt: lock.attempt,
      reviewers: options.reviewers,
      pool: options.budgetPool,
      priorReview: waited?.review,
      approvalPollMs: options.approvalPollMs,
    },
    queue: options.queue,
    heartbeatMs,
    emit,
    signal,
  });
  if (end.outcome === "queued") {
    emit({
      type: "queue",
      agent: me.name,
      phase: "enqueue",
      detail: `queued ${task.id} (${end.work.slice(0, 7)}) for the lander`,
      task: task.id,
    });
    return { done: true, costUsd };
  }
  if (end.outcome === "landed") {
    emit({
      type: "done",
      agent: me.name,
      task: task.id,
      commit: end.commit,
      costUsd,
      attempt: lock.attempt,
    });
    return { done: true, costUsd };
  }
  if (end.outcome === "stopped") return stopped();
  if (end.outcome === "gone") {
    const settled = await settleGoneTask(options, task, claim, lock, {
      summary: outcome.summary,
      result: conclusion.result,
      heartbeatMs,
      costUsd,
    });
    return { done: settled.landed !== undefined, costUsd };
  }
  // Not the work's fault (a reviewer erred): given back at the same attempt, the work on its branch.
  if (end.outcome === "deferred")
    return defer(options, claim, end.reason, costUsd);
  if (end.outcome === "fenced") {
    emit({
      type: "error",
      agent: me.name,
      task: task.id,
      message: `not landed (work kept on ${lock.branch}): ${end.message}`,
    });
    return { done: false, costUsd };
  }
  return fail(options, claim, lock, end.reason, costUsd);
}

async function readOptional(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch(() => undefined);
}
