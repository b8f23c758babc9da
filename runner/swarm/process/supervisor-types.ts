/**
 * The supervisor's vocabulary: how an agent's slot ends up (SlotState), what the run gives the
 * supervisor (SupervisorOptions), and what it keeps per agent (Slot).
 */
import type { EventInput } from "../../../coordination/base/events.js";
import type { AgentJob } from "../../agent/agent-job.js";
import type { AgentLogBook } from "../../logs/agent-log-book.js";

export type SlotState =
  "running" | "idle" | "stopped" | "budget" | "max-tasks" | "auth" | "failed";

export interface SupervisorOptions {
  emit: (event: EventInput) => void;
  /** Kill an agent that reports nothing for this long (default 15 min). */
  stuckAfterMs?: number;
  maxRespawns?: number;
  /** The first respawn's delay; each next one doubles, with jitter, up to 60 s (default 1 s). */
  respawnBaseMs?: number;
  /** Agents not to respawn after they die (the demo's victim, to show lease-based recovery). */
  noRespawn?: ReadonlySet<string>;
  /** The run's agent logs: every line an agent process prints, and its stderr when it ends. */
  logs?: AgentLogBook;
}

export interface Slot {
  job: AgentJob;
  state: SlotState;
  pid?: number;
  respawns: number;
  lastEventAt: number;
  /** What the agent did last, in words (the events themselves are in the log). */
  lastEvents: string[];
  /** Set when the runner killed it on purpose (the demo's crash): why, in words. */
  killedBecause?: string;
  /** Set when a user stopped it (runner/control/): why, in words; it is not respawned. */
  stoppedBecause?: string;
  /** Set when a user restarted it: its exit starts a fresh process at once. */
  restarting?: boolean;
  ended: Promise<void>;
}
