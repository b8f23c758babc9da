/**
 * The gates pipeline: the one place that decides whether a piece of work may land (or enter the
 * merge queue). It rebases the work onto the hub's main, then runs the planned gates in order
 * (runner/gates/gate-plan.ts) in the agent's clone; the first gate that fails ends it with that
 * gate's reason, which becomes the failed attempt's reason and the next prompt's "previous failure".
 * The human gate is last and decides nothing here: the result says the work must wait for a human,
 * and the landing parks it on the hub (runner/gates/human-gate.ts) instead of landing it.
 */
import type { EventInput } from "../../coordination/base/events.js";
import type { Task } from "../../coordination/progress/task.js";
import { readTaskGates } from "../../coordination/progress/task.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { OracleConfig } from "../../oracle/index.js";
import { oracleGate, rebaseWork, type GateResult } from "../agent/work-gate.js";
import type { Reviewer } from "../../agents/review/review-types.js";
import type { BudgetPool } from "../../agents/spend/budget.js";
import { changedFiles, NO_CHANGE_REASON, workDiff } from "./change-gate.js";
import { runCommandGate } from "./command-gate.js";
import { planGates, stepName, type GateStep } from "./gate-plan.js";
import type { GateEntry, ReviewConfig } from "./gates-config.js";
import { reviewWork } from "./review-gate.js";

/** The swarm's gate settings, as an agent process gets them. */
export interface GateSettings {
  /** The configured `gates:` entries (command gates and the oracle's place). */
  entries: GateEntry[];
  /** `review:`: who reviews, the rule, and whether a human approves (default: the config's defaults). */
  review?: Omit<ReviewConfig, "maxDeferrals"> &
    Partial<Pick<ReviewConfig, "maxDeferrals">>;
}

/** What the pipeline needs for one piece of work. */
export interface PipelineOptions {
  task: Task;
  agent: string;
  /** The claim the work lands under: lost before the rebase, the result is `fenced`. */
  claimId?: string;
  oracle?: OracleConfig;
  gates?: GateSettings;
  /** The author's kind (the default reviewer is of another vendor) and the attempt under review. */
  authorKind?: string;
  attempt?: number;
  /** The reviewers this agent process can call; none: no AI review. */
  reviewers?: readonly Reviewer[];
  pool?: BudgetPool;
  /** `cases`: the oracle gate runs only the task's cases (the merge queue's lander runs the full oracle). */
  scope?: "full" | "cases";
  emit: (event: EventInput) => void;
  signal: AbortSignal;
}

/** The pipeline's verdict: the oracle's counts where it ran, and which gate failed. */
export type PipelineResult = GateResult & {
  /** The gate that failed (absent when all passed). */
  gate?: string;
  /** The files the work changes against main. */
  files?: string[];
  /** No verdict could be had (a reviewer erred): not the work's fault, no attempt is spent. */
  deferred?: boolean;
  /** The claim was lost before the gates ran (runner/agent/work-gate.ts): the work is not landed. */
  fenced?: boolean;
  /** How the work was reviewed, for the done marker. */
  review?: string;
  /** Every gate passed and the work must now wait for a human's approval (the human gate). */
  human?: boolean;
};

/** Rebases the committed work and runs every gate in order; never throws for a failing gate. */
export async function runGates(
  ws: Workspace,
  options: PipelineOptions,
): Promise<PipelineResult> {
  const { task, signal } = options;
  const rebased = await rebaseWork(ws, options);
  if (!rebased.ok) return { ...rebased, gate: "rebase" };
  const steps = planGates(
    options.gates?.entries ?? [],
    task,
    readTaskGates(task).gates,
    {
      review: (options.reviewers?.length ?? 0) > 0,
      human: options.gates?.review?.human ?? false,
    },
  );
  const files = await changedFiles(ws);
  const run: RunState = { files, oracle: { ok: true, raised: 0 } };
  for (const step of steps) {
    if (signal.aborted) break;
    const result = await runStep(ws, step, options, run);
    if (step.kind === "oracle") run.oracle = result;
    report(options, step, result);
    if (!result.ok) return { ...result, gate: stepName(step), files };
  }
  return {
    ...run.oracle,
    files,
    ...(run.review ? { review: run.review } : {}),
    ...(run.human ? { human: true } : {}),
  };
}

/** What earlier gates found, for later ones. */
interface RunState {
  files: string[];
  oracle: GateResult;
  review?: string;
  human?: boolean;
}

async function runStep(
  ws: Workspace,
  step: GateStep,
  options: PipelineOptions,
  run: RunState,
): Promise<GateResult & { deferred?: boolean }> {
  const { files } = run;
  switch (step.kind) {
    case "change":
      return files.length > 0
        ? { ok: true, raised: 0 }
        : { ok: false, reason: NO_CHANGE_REASON };
    case "command": {
      const verdict = await runCommandGate(ws, step.gate, options.signal);
      return verdict.ok ? { ok: true, raised: 0 } : verdict;
    }
    case "oracle":
      return oracleGate(ws, options);
    case "review": {
      const verdict = await reviewWork({
        task: options.task,
        author: { name: options.agent, kind: options.authorKind ?? "" },
        attempt: options.attempt ?? 1,
        diff: await workDiff(ws),
        files,
        oracle: describeOracle(options, run.oracle),
        workspaceDir: ws.dir,
        reviewers: options.reviewers ?? [],
        config: options.gates?.review ?? { rule: "all" },
        pool: options.pool,
        emit: options.emit,
        signal: options.signal,
      });
      if (!verdict.ok) return verdict;
      run.review = verdict.record;
      return { ok: true, raised: 0 };
    }
    case "human":
      // Parked by the landing, not awaited here: the agent is free while a human decides.
      run.human = true;
      return { ok: true, raised: 0 };
  }
}

function describeOracle(options: PipelineOptions, oracle: GateResult): string {
  if (options.oracle?.candidate === undefined) return "no oracle configured";
  return oracle.passed === undefined
    ? "not run"
    : `${oracle.passed} passed, ${oracle.failed ?? 0} failed (no passing case regressed)`;
}

/** One `gate` event per gate that ran (the oracle's counts go out as the `oracle` event). */
function report(
  options: PipelineOptions,
  step: GateStep,
  result: GateResult,
): void {
  if (step.kind === "oracle" && result.passed === undefined) return;
  if (step.kind === "human") return; // the `approval` event says it waits

  options.emit({
    type: "gate",
    agent: options.agent,
    task: options.task.id,
    gate: stepName(step),
    ok: result.ok,
    ...(result.ok ? {} : { reason: result.reason }),
  });
}
