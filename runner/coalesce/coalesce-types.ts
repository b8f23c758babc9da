/** The coalescer's options, events and result: below both halves of a run (run-coalesce.ts claims and
 * ends the task, coalesce-held.ts does the held work). */
import type { Agent } from "../../agents/types.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { SwarmConfig } from "../config.js";
import type { CleanupResult } from "./cleanup.js";
import type { Figures } from "./findings.js";

/** What the coalescer reports as it goes (the runner writes these to its event log). */
export interface CoalesceEvent {
  type: "coalesce";
  agent: string;
  phase:
    | "start"
    | "claimed"
    | "busy"
    | "findings"
    | "archived"
    | "pruned"
    | "cleanup"
    | "end";
  detail: string;
  findings?: Record<string, number>;
  costUsd?: number;
  commit?: string;
}

/** What one coalescer run is given. */
export interface CoalesceOptions {
  /** A clone of the hub the claim is made from (the user's repo or the runner's clone). */
  home: Workspace;
  /** The swarm repo (its config, and `.gitswarm/workspaces/` for the coalescer's clone). */
  repoDir: string;
  config: SwarmConfig;
  /** The agent for the one code cleanup; without one only the deterministic fixes run. */
  agent?: Agent;
  /** The coalescer's name in locks and commits (default `coalescer-<random>`, unique per run). */
  name?: string;
  signal?: AbortSignal;
  onEvent?: (event: CoalesceEvent) => void;
  now?: () => Date;
}

/** How the steps of one run report a phase (the run adds its agent and writes the event). */
export type CoalesceEmit = (
  phase: CoalesceEvent["phase"],
  detail: string,
  extra?: Partial<CoalesceEvent>,
) => void;

/** The result of one run; `busy` means another coalescer holds the task. */
export interface CoalesceResult {
  outcome: "busy" | "done" | "released";
  agent: string;
  summary: string;
  figures?: Figures;
  archived: string[];
  pruned: string[];
  cleanup?: CleanupResult | { outcome: "skipped"; reason: string };
  costUsd: number;
  holder?: string;
}
