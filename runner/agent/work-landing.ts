/**
 * Landing finished work: the gates pipeline (runner/gates/), then the single fenced done-commit. When
 * main moved under the gate in a way that conflicts with the work — typically another task raised
 * the oracle baseline meanwhile, which every concurrent landing does — the work is gated again on
 * the new tip, so the full oracle always ran on what lands. Bounded: past `maxRounds` it is a
 * failed attempt. Heartbeats run through every gate: a full oracle run can outlast a short lease.
 */
import {
  finishTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import type { Task } from "../../coordination/progress/task.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { OracleConfig } from "../../oracle/index.js";
import type { EventInput } from "../../coordination/base/events.js";
import { enqueueWork } from "../../coordination/queue/enqueue.js";
import { startHeartbeats } from "./heartbeat-timer.js";
import { parkForApproval } from "../gates/human-gate.js";
import {
  runGates,
  type GateSettings,
  type PipelineOptions,
} from "../gates/gate-pipeline.js";

export type LandResult =
  | { outcome: "landed"; commit: string }
  | { outcome: "queued"; work: string }
  /** Parked on the hub for a human's approval (runner/gates/human-gate.ts); the agent moves on. */
  | { outcome: "waiting"; work: string }
  | { outcome: "fenced"; message: string }
  | { outcome: "rejected"; reason: string }
  /** The task left PROGRESS.md while it was worked on (runner/agent/task-gone.ts takes over). */
  | { outcome: "gone"; message: string }
  /** No verdict could be had (a reviewer erred): the task is given back without spending an attempt. */
  | { outcome: "deferred"; reason: string }
  | { outcome: "stopped" };

export interface LandOptions {
  task: Task;
  claim: HeldClaim;
  summary: string;
  /** A job's final figures, landed as the task's `result:` line. */
  result?: string;
  oracle?: OracleConfig;
  /** The project's gates and review settings (runner/gates/). */
  gates?: GateSettings;
  /** For the review: the author's kind, the attempt, the reviewers and the run's budget pool. */
  review?: Pick<
    PipelineOptions,
    "authorKind" | "attempt" | "reviewers" | "pool"
  >;
  heartbeatMs: number;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
  /** Enqueue for the lander after the gate instead of landing (the gate then runs only the task's cases). */
  queue?: boolean;
  /** Gate-and-finish rounds before a conflict with main counts as a failed attempt (default 5). */
  maxRounds?: number;
}

/** Gates the work committed on the clone's branch and lands it; never throws for expected outcomes. */
export async function landWork(
  ws: Workspace,
  options: LandOptions,
): Promise<LandResult> {
  const { task, claim, emit, signal } = options;
  const maxRounds = options.maxRounds ?? 5;
  for (let round = 1; ; round += 1) {
    emit({
      type: "agent-state",
      agent: claim.agent,
      state: "gating",
      task: task.id,
    });
    const heartbeats = startHeartbeats(ws, claim, options.heartbeatMs, emit);
    let end: LandResult | undefined;
    try {
      end = await gateAndFinish(ws, options);
    } finally {
      // Stopped or deferred, the work must be on the hub for the next claim: a last beat carries it.
      // So must work bound for the queue that its gate rejected: the agent skipped its last beat
      // for the enqueue to push the work, and there will be none (agent-loop.ts).
      await heartbeats.stop(
        signal.aborted ||
          end?.outcome === "deferred" ||
          (options.queue === true && end?.outcome === "rejected"),
      );
    }
    if (end !== undefined) return end;
    if (signal.aborted) return { outcome: "stopped" };
    if (round >= maxRounds)
      return {
        outcome: "rejected",
        reason: `the work kept conflicting with main as other tasks landed (${round} gate rounds)`,
      };
  }
}

/** One round: the gate, then the done-commit; undefined when the work conflicts with a newer main. */
async function gateAndFinish(
  ws: Workspace,
  options: LandOptions,
): Promise<LandResult | undefined> {
  const { task, claim, emit, signal } = options;
  // Every gate — no empty work, the project's commands, the oracle, the reviews — in one call.
  const gate = await runGates(ws, {
    task,
    agent: claim.agent,
    claimId: claim.claimId,
    oracle: options.oracle,
    gates: options.gates,
    ...options.review,
    emit,
    scope: options.queue ? "cases" : "full",
    signal,
  });
  if (signal.aborted) return { outcome: "stopped" };
  if (gate.passed !== undefined) {
    emit({
      type: "oracle",
      agent: claim.agent,
      task: task.id,
      scope: options.queue ? "cases" : "full",
      passed: gate.passed,
      failed: gate.failed ?? 0,
      ...(gate.ok ? {} : { regressions: gate.regressions }),
    });
  }
  if (!gate.ok && gate.fenced === true)
    return { outcome: "fenced", message: gate.reason };
  if (!gate.ok)
    return {
      outcome: gate.deferred ? "deferred" : "rejected",
      reason: gate.reason,
    };
  // A human approves it first: parked on the hub, landed by the approval; this agent moves on.
  if (gate.human) {
    const parked = await parkForApproval(ws, {
      claim: { ...claim, signal },
      attempt: options.review?.attempt ?? 1,
      summary: options.summary,
      result: options.result,
      review: gate.review,
      then: options.queue ? "queue" : "land",
      emit,
    });
    return parked.outcome === "fenced"
      ? { outcome: "fenced", message: parked.message }
      : parked;
  }
  // The merge queue: the lander gates and lands it (runner/queue/); this claim moves on.
  if (options.queue) {
    const queued = await enqueueWork(ws, {
      ...claim,
      work: "HEAD",
      summary: options.summary,
      result: options.result,
      signal,
    });
    return queued.outcome === "queued"
      ? { outcome: "queued", work: queued.entry.work }
      : queued;
  }
  const end = await finishTask(ws, {
    ...claim,
    work: "HEAD",
    summary: options.summary,
    result: options.result,
    review: gate.review,
    signal,
  });
  if (end.outcome === "landed") return end;
  if (end.outcome === "fenced" || end.outcome === "gone")
    return { outcome: end.outcome, message: end.message };
  return undefined;
}
