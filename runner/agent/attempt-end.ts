/**
 * How one attempt at a task ends, once the agent's work is known: stopped by the run (the claim
 * kept for the next run, or given back when the run cannot go on), given back without spending an
 * attempt (rate limit, refused key, preemption), failed, or what the landing made of it.
 */
import type { WorkOutcome } from "../../agents/types.js";
import { describeOutcome } from "../../agents/outcome-text.js";
import {
  releaseTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import type { Lock } from "../../coordination/state/lock-file.js";
import type { Task } from "../../coordination/progress/task.js";
import { defer } from "../gates/gate-edges.js";
import { fail } from "./attempt-claim.js";
import type { AgentLoopOptions } from "./agent-loop-options.js";
import { isReleaseStop } from "./release-stop.js";
import { settleGoneTask } from "./task-gone.js";
import type { LandResult } from "./work-landing.js";

export interface AttemptResult {
  done: boolean;
  costUsd: number;
  rateLimitedUntil?: string;
  /** The provider refused the agent's key or login: the task was given back uncounted. */
  authFailed?: boolean;
  /** The work was parked on the hub for a human's approval (runner/gates/parked-follow.ts). */
  parked?: true;
}

/**
 * The run stopped this agent. A plain stop keeps the claim with its lease (the work is on the
 * hub from the last heartbeat) so a restart resumes it; a release-stop (a run that cannot go on)
 * gives it back. Called wherever the stop lands, mid-step included.
 */
export async function endStopped(
  options: Pick<AgentLoopOptions, "ws" | "me" | "emit" | "signal">,
  claim: HeldClaim,
  costUsd: number,
): Promise<AttemptResult> {
  const { ws, me, emit, signal } = options;
  if (isReleaseStop(signal.reason)) {
    const reason = signal.reason.message;
    await releaseTask(ws, { ...claim, reason });
    emit({ type: "released", agent: me.name, task: claim.taskId, reason });
  }
  emit({
    type: "agent-state",
    agent: me.name,
    state: "stopped",
    task: claim.taskId,
  });
  return { done: false, costUsd };
}

/**
 * A failed outcome that is not the task's fault: given back without spending an attempt.
 * Undefined for every other outcome.
 */
export async function giveBackUncounted(
  options: AgentLoopOptions,
  claim: HeldClaim,
  outcome: WorkOutcome,
): Promise<AttemptResult | undefined> {
  if (outcome.kind !== "failed") return undefined;
  const { ws, me, emit } = options;
  const costUsd = outcome.usage.costUsd;
  const { error } = outcome;
  const giveBack = async (reason: string, said = reason) => {
    await releaseTask(ws, { ...claim, reason });
    emit({
      type: "released",
      agent: me.name,
      task: claim.taskId,
      reason: said,
    });
  };
  if (error.kind === "rate-limited") {
    await giveBack(
      `rate limited${error.until ? ` until ${error.until}` : ""}`,
      "rate limited",
    );
    return { done: false, costUsd, rateLimitedUntil: error.until };
  }
  if (error.kind === "auth") {
    // Stop this agent too: a missing or revoked key fails every task the same way, and retrying
    // would burn the task's attempts.
    const reason = `auth failed: ${error.detail ?? "credentials refused"}`;
    await giveBack(reason);
    emit({
      type: "error",
      agent: me.name,
      task: claim.taskId,
      message: `${me.name} stops: ${reason} (fix its key or login, see 'gitswarm doctor')`,
    });
    return { done: false, costUsd, authFailed: true };
  }
  if (error.kind === "preempted") {
    // Requeued at the same attempt, its checkpoints kept for the next claim.
    await giveBack(`preempted: ${error.detail ?? "requeued"}`);
    return { done: false, costUsd };
  }
  return undefined;
}

/** An outcome the agent did not finish: the attempt fails with what went wrong. */
export function failUnfinished(
  options: AgentLoopOptions,
  claim: HeldClaim,
  lock: Lock,
  outcome: WorkOutcome,
): Promise<AttemptResult> {
  return fail(
    options,
    claim,
    lock,
    describeOutcome(outcome),
    outcome.usage.costUsd,
  );
}

/** What the landing of finished work made of the attempt. */
export async function endLanding(
  options: AgentLoopOptions,
  attempt: { task: Task; claim: HeldClaim; lock: Lock; costUsd: number },
  end: LandResult,
  gone: Parameters<typeof settleGoneTask>[4],
): Promise<AttemptResult> {
  const { me, emit } = options;
  const { task, claim, lock, costUsd } = attempt;
  switch (end.outcome) {
    case "queued":
      emit({
        type: "queue",
        agent: me.name,
        phase: "enqueue",
        detail: `queued ${task.id} (${end.work.slice(0, 7)}) for the lander`,
        task: task.id,
      });
      return { done: true, costUsd };
    case "waiting":
      // Parked on the hub for a human (the `approval` event said so): this agent is free.
      return { done: true, costUsd, parked: true };
    case "landed":
      emit({
        type: "done",
        agent: me.name,
        task: task.id,
        commit: end.commit,
        costUsd,
        attempt: lock.attempt,
      });
      return { done: true, costUsd };
    case "stopped":
      return endStopped(options, claim, costUsd);
    case "gone": {
      const settled = await settleGoneTask(options, task, claim, lock, gone);
      return { done: settled.landed !== undefined, costUsd };
    }
    case "deferred":
      // Not the work's fault (a reviewer erred): given back at the same attempt, the work on its branch.
      return defer(options, claim, end.reason, costUsd);
    case "fenced":
      emit({
        type: "error",
        agent: me.name,
        task: task.id,
        message: `not landed (work kept on ${lock.branch}): ${end.message}`,
      });
      return { done: false, costUsd };
    case "rejected":
      return fail(options, claim, lock, end.reason, costUsd);
  }
}
