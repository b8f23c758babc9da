/** What the runner tells an agent process to do (passed as one JSON argument). */
import type { AgentSpec } from "../../agents/index.js";
import type { GateSettings } from "../gates/gate-pipeline.js";
import type { SandboxPlan } from "../../coordination/base/sandbox/sandbox-plan.js";

/** A scripted agent for the offline demo: applies prepared changes, calls no model. */
export interface ScriptedSpec {
  kind: "scripted";
  scriptDir: string;
  thinkMs?: number;
}

/** The demo's reviewer: prepared verdicts, no model (agents/review/scripted-reviewer.ts). */
export interface ScriptedReviewerSpec {
  kind: "scripted";
  name: string;
  scriptDir: string;
}

/** An agent that may review others' work: an API agent's spec, or the demo's scripted reviewer. */
export type ReviewerSpec = AgentSpec | ScriptedReviewerSpec;

export interface AgentJob {
  name: string;
  spec: AgentSpec | ScriptedSpec;
  /** The specs this agent's `fallback` chain names, so the chain works inside its own process. */
  fallbacks: AgentSpec[];
  capabilities: string[];
  swarmCapabilities: string[];
  /** This agent's place in the run's roster: agents spread over the claimable tasks. */
  slot?: { index: number; of: number };
  routing: Record<string, string[]>;
  workspaceDir: string;
  remote: string;
  branch: string;
  /** The runner's fleet-unique id: every lock this agent writes records it. */
  runner?: string;
  /** The run's GIT_SSH_COMMAND riding its one connection to an ssh hub (fleet/hub-mux.ts). */
  sshCommand?: string;
  leaseMs: number;
  /** How long a fetch or push retries an unreachable hub (`hubOutage`); 0 or absent: no retry. */
  hubOutageMs?: number;
  maxAttempts: number;
  /** Run the repo's oracle in the gate (false when it has none configured). */
  oracle: boolean;
  /** The project's gates (`gates:`) and review settings. */
  gates?: GateSettings;
  /** The agents that may review this agent's work (the review gate chooses among them). */
  reviewers?: ReviewerSpec[];
  /** Enqueue finished work for the lander instead of landing it (`queue.enabled`). */
  queue?: boolean;
  taskBudgetUsd?: number;
  /** The run's `--budget`: one pool in a file all agent processes of the run draw on. */
  budgetPool?: { file: string; limitUsd: number };
  maxTasks?: number;
  previousCrash?: string;
  /** The run's directory: its control file (runner/control/) says when the run is paused. */
  runDir?: string;
  /**
   * The runner writes this agent's keys to its stdin as one JSON object and closes it: keys never
   * travel in an environment, where /proc/<pid>/environ would show them for the process's life.
   */
  keysOnStdin?: boolean;
  /** How this agent's commands, tools, oracle candidates and jobs are confined (absent: not at all). */
  sandbox?: SandboxPlan;
  /** Job tasks on this host (command agents): `gpus:` from config, the checkpoint root, the stop grace. */
  jobs?: JobSettings;
}

/** What an agent process needs to run job tasks on this host. */
export interface JobSettings {
  gpus?: number | number[];
  /** Absolute: the user's repository's `jobs.checkpointDir`. */
  jobsRoot: string;
  stopGraceMs: number;
}

/** The API agents among a job's reviewers (their keys go to the job's process). */
export function apiReviewers(job: Pick<AgentJob, "reviewers">): AgentSpec[] {
  return (job.reviewers ?? []).filter(
    (spec): spec is AgentSpec => spec.kind !== "scripted",
  );
}
