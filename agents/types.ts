/**
 * The agent contract shared by every kind: what the runner hands an agent (a workspace, a task, its
 * context, budgets, an abort signal) and the value it gets back. Outcomes are values, never throws.
 */
import type { BudgetPool } from "./spend/budget.js";

/** Every agent kind a config or `--agents` may name. */
export const AgentKinds = [
  "anthropic",
  "openai",
  "gemini",
  "claude-code",
  "codex",
  "gemini-cli",
  "aider",
  "command",
] as const;
/** One of {@link AgentKinds}. */
export type AgentKind = (typeof AgentKinds)[number];

/**
 * Kinds gitswarm creates itself and no config or `--agents` may name: `scripted` is the offline
 * demo's agent (agents/local/scripted-agent.ts), which applies prepared changes instead of calling a model.
 */
export type ScriptedKind = "scripted";

/** Kinds that run the shared tool loop over a vendor SDK. */
export const ApiKinds = [
  "anthropic",
  "openai",
  "gemini",
] as const satisfies readonly AgentKind[];
/** Kinds that run a vendor's coding CLI. */
export const CliKinds = [
  "claude-code",
  "codex",
  "gemini-cli",
  "aider",
] as const satisfies readonly AgentKind[];

/** Tokens and dollars spent; `calls` counts every model request (each retry attempt included). */
export interface Usage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** The task as an agent sees it (a projection of coordination/progress/task.ts). */
export interface AgentTask {
  id: string;
  title: string;
  notes: string[];
  needs: string[];
  tags: string[];
  /** A job task's shell command, run by the `command` kind. */
  run?: string;
}

/** Everything an agent needs for one attempt at one task. */
export interface WorkRequest {
  /** The agent's own clone; the only filesystem its tools may touch. */
  workspaceDir: string;
  task: AgentTask;
  context: {
    design?: string;
    progressExcerpt?: string;
    previousFailure?: string;
  };
  budget: {
    taskUsd?: number;
    runUsdLeft?: number;
    /** The run's shared budget: every model call reserves its expected cost here first. */
    pool?: BudgetPool;
    maxTurns?: number;
    timeoutMs?: number;
  };
  signal: AbortSignal;
  /** A job task's runtime (set by the runner for a `run:` task): its GPUs, run id, dirs, limits. */
  job?: JobRuntime;
  /** Extra tools the runner provides; `oracleSample` runs this agent's oracle sample and returns its summary. */
  tools?: { oracleSample?: () => Promise<string> };
}

/** What a job process gets from the runner (runner/jobs/job-host.ts builds it). */
export interface JobRuntime {
  /** CUDA_VISIBLE_DEVICES, CUDA_DEVICE_ORDER, GITSWARM_RUN_ID, GITSWARM_CHECKPOINT_DIR, GITSWARM_METRICS_FILE. */
  env: Record<string, string>;
  /** `time-limit:`: the job is stopped after this long. */
  timeLimitMs?: number;
  /** SIGTERM, then this long to checkpoint, then SIGKILL. */
  stopGraceMs: number;
}

/** The exit code a job uses to say "preempted: requeue me" (EX_TEMPFAIL); it costs no attempt. */
export const PREEMPTED_EXIT_CODE = 75;

/** Why an attempt failed. `until` is an ISO time when the provider said when to come back. */
export type AgentFailure =
  | { kind: "rate-limited"; until?: string; detail?: string }
  | { kind: "auth"; detail?: string }
  | { kind: "budget-exceeded"; detail?: string }
  | { kind: "crashed"; detail: string }
  | { kind: "timed-out"; detail?: string }
  | { kind: "preempted"; detail?: string }
  | { kind: "aborted" };

/** The result of {@link Agent.work}: finished, gave up, or failed — always with what it cost. */
export type WorkOutcome =
  | { kind: "finished"; summary: string; usage: Usage }
  | { kind: "gave-up"; reason: string; usage: Usage }
  | { kind: "failed"; error: AgentFailure; usage: Usage };

/**
 * Events an agent reports. All but `output` and `prompt` go to the runner's JSONL log, which never
 * carries secrets, prompts or tool arguments; those two go only to the agent's own log
 * (`.gitswarm/runs/<run>/agents/<agent>.log`, redacted there), never to events.jsonl.
 */
export type AgentEvent =
  | {
      type: "model-call";
      agent: string;
      provider: string;
      model: string;
      ok: boolean;
      inputTokens: number;
      outputTokens: number;
      costUsd: number;
      /** Model requests this event stands for (a CLI run reports per model); absent: one. */
      requests?: number;
      /** Of inputTokens, those read from / written to the vendor's cache (priced at cache rates). */
      cacheReadTokens?: number;
      cacheWriteTokens?: number;
      /** How costUsd was priced: listed, vendor-max (unknown model), reported (by the CLI), unpriced. */
      priced?: "listed" | "vendor-max" | "reported" | "unpriced";
      latencyMs: number;
      error?: string;
    }
  | {
      type: "tool-call";
      agent: string;
      tool: string;
      ok: boolean;
      ms: number;
      truncated?: boolean;
      /** How many characters the tool's result had (for the agent log). */
      resultChars?: number;
    }
  | {
      type: "output";
      agent: string;
      /** What the agent's process (a command, a vendor CLI) printed on this stream. */
      stream: "stdout" | "stderr";
      text: string;
    }
  | { type: "prompt"; agent: string; text: string }
  | {
      type: "retry";
      agent: string;
      provider: string;
      attempt: number;
      delayMs: number;
      reason: string;
    }
  | { type: "rate-limited"; agent: string; provider: string; until?: string }
  | { type: "circuit-open"; agent: string; provider: string; until: string }
  | { type: "fallback"; agent: string; to: string; reason: string }
  | {
      type: "cli-run";
      agent: string;
      command: string;
      exitCode: number | null;
      ms: number;
      outcome: WorkOutcome["kind"];
    };

/** One agent of the swarm. `work` never throws for model or process failures; they are outcomes. */
export interface Agent {
  readonly name: string;
  readonly kind: AgentKind | ScriptedKind;
  work(request: WorkRequest): Promise<WorkOutcome>;
}

/** A fresh zero usage. */
export function emptyUsage(): Usage {
  return { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

/** Sums two usages (cost rounded to a micro-dollar so totals add up exactly in reports). */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    calls: a.calls + b.calls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costUsd: Math.round((a.costUsd + b.costUsd) * 1e6) / 1e6,
  };
}
