/**
 * The agent loop's claim and failure edges: leasing a job's GPUs on this host before claiming its
 * task (released again when the claim is lost), ending a failed attempt (released with the reason,
 * or blocked after the last attempt), and naming tasks this host can never run.
 */
import {
  claimTask,
  reopenedWorkBranch,
  type ClaimResult,
} from "../../coordination/protocol/claim.js";
import {
  blockTask,
  releaseTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import type { Lock } from "../../coordination/state/lock-file.js";
import { sleep } from "../../coordination/git/backoff.js";
import type { TaskState } from "../../coordination/protocol/swarm-state.js";
import type { Task } from "../../coordination/progress/task.js";
import type { AgentLoopOptions } from "./agent-loop-options.js";
import { failureReason, nextAttempt } from "./attempts.js";
import type { DeviceLease } from "../jobs/device-leases.js";
import type { Gpu } from "../jobs/gpu-inventory.js";
import { leaseTaskGpus, tooBigReason } from "../jobs/job-host.js";

/** A claim this agent holds, with the GPUs leased for it (none for most tasks). */
export interface HeldWithDevices {
  claim: Extract<ClaimResult, { outcome: "won" | "resumed" }>;
  devices: { lease?: DeviceLease };
  gpus: readonly Gpu[];
  /** A blocked task reopened by a human: this attempt starts from main on a new branch. */
  fresh: boolean;
}

/**
 * Leases the task's GPUs, then claims it (the lock records the GPU UUIDs). Undefined when the
 * GPUs are not free now (after waiting one idle poll) or the claim was not won.
 */
export async function claimWithDevices(
  options: AgentLoopOptions,
  pick: TaskState,
): Promise<HeldWithDevices | undefined> {
  const { ws, me, emit, signal } = options;
  const devices = await leaseTaskGpus(options.jobHost, pick.task);
  if (!devices.ok) {
    emit({ type: "agent-state", agent: me.name, state: "waiting" });
    await sleep(options.idlePollMs ?? 1000, signal).catch(() => undefined);
    return undefined;
  }
  const gpus = devices.lease?.gpus ?? [];
  const fresh = pick.marker?.state === "blocked";
  const claim = await claimTask(ws, {
    ...(fresh
      ? {
          branch: reopenedWorkBranch(
            me.name,
            pick.task.id,
            pick.marker?.branch,
          ),
        }
      : {}),
    taskId: pick.task.id,
    agent: me.name,
    leaseMs: options.leaseMs,
    attempt: nextAttempt(pick.task, pick.marker),
    plan: `${me.kind} agent ${me.name}: ${pick.task.title}`,
    ...(gpus.length > 0
      ? { extra: { gpus: gpus.map((gpu) => gpu.uuid).join(",") } }
      : {}),
    signal,
  });
  emit({
    type: "claim",
    agent: me.name,
    task: pick.task.id,
    outcome: claim.outcome,
    ...(claim.outcome === "refused" ? { reason: claim.reason } : {}),
  });
  if (claim.outcome !== "won" && claim.outcome !== "resumed") {
    await devices.lease?.release();
    return undefined;
  }
  // Resuming our own live lock keeps its branch; only a new claim after the block starts afresh.
  return { claim, devices, gpus, fresh: fresh && claim.outcome === "won" };
}

/**
 * Ends a failed attempt: released with its reason, or blocked after `maxAttempts`. A claim lost
 * meanwhile (its lock broken) fences the release or block: the failure is on no marker and the task
 * is someone else's now, so it is reported as not recorded, never counted as an attempt.
 */
export async function fail(
  options: AgentLoopOptions,
  claim: HeldClaim,
  lock: Lock,
  reason: string,
  costUsd: number,
): Promise<{ done: false; costUsd: number }> {
  const { ws, me, emit } = options;
  const task = claim.taskId;
  const lost = (message: string) =>
    emit({
      type: "error",
      agent: me.name,
      task,
      message: `attempt ${lock.attempt} failed (${reason}); not recorded, the claim was lost meanwhile (work kept on ${lock.branch}): ${message}`,
    });
  if (lock.attempt < options.maxAttempts) {
    const end = await releaseTask(ws, {
      ...claim,
      reason: failureReason(lock.attempt, reason),
    });
    if (end.outcome === "fenced") lost(end.message);
    else
      emit({
        type: "attempt-failed",
        agent: me.name,
        task,
        attempt: lock.attempt,
        reason,
      });
    return { done: false, costUsd };
  }
  const why = `gave up after ${lock.attempt} attempt(s); last: ${reason}`;
  const end = await blockTask(ws, { ...claim, reason: why });
  if (end.outcome === "fenced") lost(end.message);
  else if (end.outcome === "gone") {
    // Deleted from PROGRESS.md meanwhile: nothing to block, the claim is given back.
    const reason = `'${task}' was deleted from PROGRESS.md while ${me.name} worked on it; the work is kept on branch ${lock.branch}`;
    await releaseTask(ws, { ...claim, reason });
    emit({ type: "released", agent: me.name, task, reason });
  } else emit({ type: "blocked", agent: me.name, task, reason: why });
  return { done: false, costUsd };
}

/** Says in words which tasks this host can never run (more GPUs than it has), before the loop ends. */
export function reportTooBig(
  options: AgentLoopOptions,
  tasks: readonly { status: string; task: Task }[],
): void {
  for (const { status, task } of tasks) {
    const reason =
      status === "open" ? tooBigReason(task, options.jobHost) : undefined;
    if (reason !== undefined)
      options.emit({
        type: "unschedulable",
        agent: options.me.name,
        task: task.id,
        reason,
      });
  }
}
