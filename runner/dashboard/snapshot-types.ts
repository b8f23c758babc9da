/**
 * The dashboard's view of the swarm as plain JSON: what the server sends the page (over
 * `/api/state` and the SSE stream) and what the page draws. Shared by both; no imports.
 */

/** The board's columns, in order. `queue`: landed work waiting in the merge queue. */
export const BoardColumns = [
  "open",
  "claimed",
  "queue",
  "done",
  "blocked",
] as const;
/** One of {@link BoardColumns}. */
export type BoardColumn = (typeof BoardColumns)[number];

/** One card of the board. */
export interface BoardTask {
  id: string;
  title: string;
  column: BoardColumn;
  holder: string | null;
  /** The held claim's attempt, else the last attempt seen. */
  attempt: number | null;
  /** When the current claim was made (claimed tasks). */
  claimedAt: string | null;
  /** Live, expiring or stale (claimed tasks). */
  lease: string | null;
  /** Whether `gitswarm locks break` would break this lock without --force. */
  releasable: boolean;
  costUsd: number;
  needs: string[];
  waitingOn: string[];
  tags: string[];
  /** Why the last attempt failed, or why the task is blocked. */
  lastFailure: string | null;
}

/** One agent of the latest run. */
export interface BoardAgent {
  name: string;
  kind: string;
  state: string;
  task: string | null;
  lastTool: string | null;
  tokens: number;
  costUsd: number;
  tasksDone: number;
}

/** The whole dashboard state at one moment. */
export interface DashboardSnapshot {
  /** The hub's main commit read, when there is a hub. */
  tip: string | null;
  run: { id: string; state: string; costUsd: number; tasksDone: number } | null;
  tasks: BoardTask[];
  agents: BoardAgent[];
  /** The merge queue, when this gitswarm has one; null shows a labelled empty slot. */
  queue: null;
  /** Costs per agent and per task (the analytics figures), and the coordination events. */
  costs: {
    perAgent: { name: string; costUsd: number; tokens: number }[];
    timeline: { time: string; costUsd: number }[];
    claims: { won: number; lost: number };
  };
  /** What went wrong reading the hub, if anything (the last good state stays shown). */
  problem: string | null;
  /** Which actions this dashboard can take (a dashboard outside the runner cannot stop agents). */
  can: { stopAgents: boolean };
}
