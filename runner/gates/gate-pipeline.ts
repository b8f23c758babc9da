/**
 * The gates pipeline: the one place that decides whether a piece of work may land (or enter the
 * merge queue). It rebases the work onto the hub's main, then runs the planned gates in order
 * (runner/gates/gate-plan.ts) in the agent's clone; the first gate that fails ends it with that
 * gate's reason, which becomes the failed attempt's reason and the next prompt's "previous failure".
 */
import type { EventInput } from "../../coordination/base/events.js";
import type { Task } from "../../coordination/progress/task.js";
import { readTaskGates } from "../../coordination/progress/task.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { OracleConfig } from "../../oracle/index.js";
import { oracleGate, rebaseWork, type GateResult } from "../agent/work-gate.js";
import { changedFiles, NO_CHANGE_REASON } from "./change-gate.js";
import { runCommandGate } from "./command-gate.js";
import { planGates, stepName, type GateStep } from "./gate-plan.js";
import type { GateEntry } from "./gates-config.js";

/** The swarm's gate settings, as an agent process gets them. */
export interface GateSettings {
  /** The configured `gates:` entries (command gates and the oracle's place). */
  entries: GateEntry[];
}

/** What the pipeline needs for one piece of work. */
export interface PipelineOptions {
  task: Task;
  agent: string;
  oracle?: OracleConfig;
  gates?: GateSettings;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
}

/** The pipeline's verdict: the oracle's counts where it ran, and which gate failed. */
export type PipelineResult = GateResult & {
  /** The gate that failed (absent when all passed). */
  gate?: string;
  /** The files the work changes against main. */
  files?: string[];
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
  );
  const files = await changedFiles(ws);
  let passed: GateResult = { ok: true, raised: 0 };
  for (const step of steps) {
    if (signal.aborted) break;
    const result = await runStep(ws, step, options, files);
    if (step.kind === "oracle") passed = result;
    report(options, step, result);
    if (!result.ok) return { ...result, gate: stepName(step), files };
  }
  return { ...passed, files };
}

async function runStep(
  ws: Workspace,
  step: GateStep,
  options: PipelineOptions,
  files: readonly string[],
): Promise<GateResult> {
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
    case "review":
    case "human":
      return { ok: true, raised: 0 };
  }
}

/** One `gate` event per gate that ran (the oracle's counts go out as the `oracle` event). */
function report(
  options: PipelineOptions,
  step: GateStep,
  result: GateResult,
): void {
  if (step.kind === "oracle" && result.passed === undefined) return;
  options.emit({
    type: "gate",
    agent: options.agent,
    task: options.task.id,
    gate: stepName(step),
    ok: result.ok,
    ...(result.ok ? {} : { reason: result.reason }),
  });
}
