/**
 * The agent loop's edges to the gates: whether a task's work waits for a human, and giving a
 * task back when the gates could reach no verdict (a reviewer erred) without spending an attempt.
 */
import {
  releaseTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import { readTaskGates, type Task } from "../../coordination/progress/task.js";
import type { AgentLoopOptions } from "../agent/agent-loop-options.js";
import type { GateSettings } from "./gate-pipeline.js";
import type { ApprovalRecord } from "./approval-record.js";
import { readApproval } from "./approval-ref.js";

/** Whether the task's work waits for `gitswarm approve` (config `review.human` or `approve: human`). */
export function hasHumanGate(
  task: Pick<Task, "gates">,
  gates: GateSettings | undefined,
): boolean {
  return (gates?.review?.human ?? false) || readTaskGates(task).gates.human;
}

/** Releases the claim with `reason`, which records no failed attempt; the work stays on its branch. */
export async function defer(
  options: Pick<AgentLoopOptions, "ws" | "me" | "emit">,
  claim: HeldClaim,
  reason: string,
  costUsd: number,
): Promise<{ done: false; costUsd: number }> {
  await releaseTask(options.ws, { ...claim, reason });
  options.emit({
    type: "released",
    agent: options.me.name,
    task: claim.taskId,
    reason,
  });
  return { done: false, costUsd };
}

/**
 * The record of this very claim's work waiting for (or answered by) a human, when a restart finds
 * one: the agent's work is done and on its branch, so it goes straight back to the gates.
 */
export async function findWaitingWork(
  options: Pick<AgentLoopOptions, "ws" | "gates" | "signal">,
  task: Task,
  claim: HeldClaim,
  attempt: number,
): Promise<ApprovalRecord | undefined> {
  if (!hasHumanGate(task, options.gates)) return undefined;
  const found = await readApproval(options.ws, task.id, options.signal).catch(
    () => undefined,
  );
  const record = found?.record;
  return record !== undefined &&
    record.agent === claim.agent &&
    record.claimId === claim.claimId &&
    record.attempt === attempt
    ? record
    : undefined;
}
