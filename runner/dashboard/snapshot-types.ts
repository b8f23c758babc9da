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
  /** The human gate of the held claim's work: waiting since when, or answered by whom. */
  approval: BoardApproval | null;
  /** The AI reviewers' verdicts on the latest reviewed attempt. */
  reviews: BoardReview[];
}

/** Work that waits for (or was just given) a human's approval, and the commands that answer it. */
export interface BoardApproval {
  state: "waiting" | "approved" | "rejected";
  agent: string;
  since: string;
  by: string | null;
  approve: string;
  reject: string;
}

/** One reviewer's verdict on a task's work. */
export interface BoardReview {
  reviewer: string;
  attempt: number;
  verdict: "approve" | "request-changes" | "error";
  findings: number;
  detail?: string;
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

/** The merge queue as the hub shows it, with the lander's progress from this host's run log. */
export interface QueueView {
  /** Work waiting for the lander, in the order it was queued. */
  entries: { task: string; agent: string; queuedAt: string; work: string }[];
  /** Who holds the lander's claim (`swarm-land`) on the hub, and since when. */
  lander: { holder: string; since: string } | null;
  /** The batch being gated now: its tasks and each step of its oracle runs (bisects included). */
  batch: { tasks: string[]; startedAt: string; steps: string[] } | null;
  /** The last landings, newest first. */
  landings: { time: string; tasks: string[]; commit: string | null }[];
}

/** The whole dashboard state at one moment. */
export interface DashboardSnapshot {
  /** The hub's main commit read, when there is a hub. */
  tip: string | null;
  run: {
    id: string;
    state: string;
    costUsd: number;
    tasksDone: number;
    /** `gitswarm pause` (or the dashboard's button) holds its agents off new tasks. */
    paused: boolean;
  } | null;
  tasks: BoardTask[];
  agents: BoardAgent[];
  /** The merge queue (empty when `queue.enabled` is off: work then lands by itself). */
  queue: QueueView;
  /** Costs per agent and per task (the analytics figures), and the coordination events. */
  costs: {
    perAgent: { name: string; costUsd: number; tokens: number }[];
    timeline: { time: string; costUsd: number }[];
    claims: { won: number; lost: number };
  };
  /** What went wrong reading the hub, if anything (the last good state stays shown). */
  problem: string | null;
  /** Which actions this dashboard can take: pause and the agent buttons need a live run here. */
  can: { control: boolean };
}
