/** What one agent's loop is given: its clone, agent, scheduling view, limits and event sink. Below
 * both halves of the loop (agent-loop.ts and attempt-claim.ts). */
import type { Agent } from "../../agents/index.js";
import type { BudgetPool } from "../../agents/spend/budget.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { EventInput } from "../../coordination/base/events.js";
import type { OracleConfig } from "../../oracle/index.js";
import type { JobHost } from "../jobs/job-host.js";
import type { GateSettings } from "../gates/gate-pipeline.js";
import type { Reviewer } from "../../agents/review/review-types.js";
import type { SchedulingAgent, SchedulingContext } from "./scheduler.js";

/** The options of `runAgentLoop`. */
export interface AgentLoopOptions {
  ws: Workspace;
  agent: Agent;
  me: SchedulingAgent;
  scheduling: SchedulingContext;
  leaseMs: number;
  maxAttempts: number;
  oracle?: OracleConfig;
  /** The project's gates (`gates:`) and review settings, run before the work lands. */
  gates?: GateSettings;
  /** The reviewers this agent's work may get (the review gate chooses among them). */
  reviewers?: readonly Reviewer[];
  /** Enqueue finished work for the lander instead of landing it (`queue.enabled`). */
  queue?: boolean;
  taskBudgetUsd?: number;
  /** The run's shared budget (`--budget`); every model call reserves from it. */
  budgetPool?: BudgetPool;
  maxTasks?: number;
  /** What happened to this agent's previous process, for its first prompt. */
  previousCrash?: string;
  /** Whether the run is paused (`gitswarm pause`): no new task is taken while it is. */
  paused?: () => Promise<boolean>;
  /** The lander's tick (runner/queue/queue-tick.ts): waiting only for the queue watches it. */
  queueTick?: () => Promise<number>;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
  /** How long to wait before looking again when nothing is claimable yet (default 1 s). */
  idlePollMs?: number;
  /** This host's GPUs and job dirs (command agents): job tasks lease GPUs before they are claimed. */
  jobHost?: JobHost;
}
