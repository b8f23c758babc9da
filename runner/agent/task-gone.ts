/**
 * A claimed task that left PROGRESS.md while its agent worked on it. A rename (another task with
 * the same title and metadata, open and not held by anyone else) carries the claim and the
 * finished work over to the new id: the new id is claimed, the same work lands under it, and the
 * old claim is released naming the new id. A deletion releases the claim; the work stays on its
 * branch on the hub, which the release reason and the event name. Never throws for either.
 */
import { claimTask } from "../../coordination/protocol/claim.js";
import {
  releaseTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import { sendHeartbeat } from "../../coordination/protocol/heartbeat.js";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import { findRenamedTask } from "../../coordination/progress/review/renames.js";
import type { Lock } from "../../coordination/state/lock-file.js";
import type { Task } from "../../coordination/progress/task.js";
import type { AgentLoopOptions } from "./agent-loop-options.js";
import { landWork, type LandResult } from "./work-landing.js";

/** What the finished attempt hands over: its summary and a job's result line. */
export interface GoneWork {
  summary: string;
  result?: string;
  heartbeatMs: number;
  costUsd: number;
}

/** Lands the work under the renamed task, or releases the claim of a deleted one. */
export async function settleGoneTask(
  options: AgentLoopOptions,
  task: Task,
  claim: HeldClaim,
  lock: Lock,
  work: GoneWork,
): Promise<{ landed?: { task: Task; commit: string } }> {
  const { ws, me, emit, signal } = options;
  // The last snapshot of the work goes to the branch first: it is what the release names.
  await sendHeartbeat(ws, claim).catch(() => undefined);
  const state = await readSwarmState(ws, { leases: false, signal });
  const heldByOthers = new Set(
    state.tasks
      .filter((t) => t.holder !== undefined && t.holder.agent !== me.name)
      .map((t) => t.task.id),
  );
  const target = findRenamedTask(
    task,
    { tasks: state.tasks.map((t) => t.task) },
    heldByOthers,
  );
  const landed =
    target === undefined
      ? undefined
      : await landRenamed(options, target, lock, work);
  const reason =
    landed?.outcome === "landed"
      ? `renamed to '${target?.id}' in PROGRESS.md; the claim and the work moved there (landed as ${landed.commit.slice(0, 10)})`
      : `'${task.id}' was deleted from PROGRESS.md while ${me.name} worked on it; the work is kept on branch ${lock.branch}`;
  await releaseTask(ws, { ...claim, reason });
  emit({ type: "released", agent: me.name, task: task.id, reason });
  if (landed?.outcome === "landed" && target !== undefined) {
    emit({
      type: "done",
      agent: me.name,
      task: target.id,
      commit: landed.commit,
      costUsd: work.costUsd,
      attempt: lock.attempt,
    });
    return { landed: { task: target, commit: landed.commit } };
  }
  return {};
}

/** Claims the renamed task (the runner may have carried the claim already) and lands the work there. */
async function landRenamed(
  options: AgentLoopOptions,
  target: Task,
  lock: Lock,
  work: GoneWork,
): Promise<LandResult | undefined> {
  const { ws, me, emit, signal } = options;
  const moved = await claimTask(ws, {
    taskId: target.id,
    agent: me.name,
    leaseMs: options.leaseMs,
    attempt: lock.attempt,
    plan: `renamed from ${lock.task}: ${target.title}`,
    signal,
  });
  emit({
    type: "claim",
    agent: me.name,
    task: target.id,
    outcome: moved.outcome,
    ...(moved.outcome === "refused" ? { reason: moved.reason } : {}),
  });
  if (moved.outcome !== "won" && moved.outcome !== "resumed") return undefined;
  const claim: HeldClaim = {
    taskId: target.id,
    agent: me.name,
    claimId: moved.lock.claimId,
  };
  const end = await landWork(ws, {
    task: target,
    claim,
    summary: work.summary,
    result: work.result,
    oracle: options.oracle,
    heartbeatMs: work.heartbeatMs,
    emit,
    signal,
  });
  // Without `queue`, landWork lands the carried work itself (or parks it for a human).
  if (
    end.outcome !== "landed" &&
    end.outcome !== "stopped" &&
    end.outcome !== "queued" &&
    end.outcome !== "waiting"
  )
    await releaseTask(ws, {
      ...claim,
      reason: `the work carried over from '${lock.task}' did not land: ${"reason" in end ? end.reason : end.message}`,
    });
  return end;
}
