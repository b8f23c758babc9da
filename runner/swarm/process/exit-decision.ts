/**
 * What the supervisor does when an agent process exits: a pure decision over what it knows of
 * the slot (why it was stopped, killed or restarted, how it ended, how often it was respawned)
 * and of the run (stopping, over). runner/swarm/agent-supervisor.ts carries it out.
 */

export interface ExitFacts {
  /** The loop's own end ("idle", "budget", …) as the process reported it, if it did. */
  end: string | undefined;
  exitCode: number | null;
  signal: string | null;
  /** What the agent did last, in words. */
  lastEvents: readonly string[];
  restarting: boolean;
  stoppedBecause: string | undefined;
  killedBecause: string | undefined;
  /** The run is ending: nothing is started again. */
  stopping: boolean;
  over: boolean;
  noRespawn: boolean;
  respawns: number;
  maxRespawns: number;
}

export type ExitDecision =
  /** A user restarted it: a fresh process at once, not counted as a respawn. */
  | { kind: "restart" }
  /** Stopped by a user (with the reason) or by the run's end. */
  | { kind: "stopped"; reason?: string }
  /** The loop ended by itself, cleanly. */
  | { kind: "ended"; state: string }
  /** Killed on purpose and not to be respawned (the demo's crash). */
  | { kind: "killed"; reason: string }
  /** Died once too often: given up on. */
  | { kind: "dead"; why: string }
  /** Died: started again after a back-off, told what happened. */
  | { kind: "respawn"; why: string };

export function decideExit(facts: ExitFacts): ExitDecision {
  if (facts.restarting && !facts.stopping && !facts.over)
    return { kind: "restart" };
  if (facts.stoppedBecause !== undefined)
    return { kind: "stopped", reason: facts.stoppedBecause };
  if (facts.end !== undefined && facts.exitCode === 0)
    return { kind: "ended", state: facts.end };
  if (facts.stopping) return { kind: "stopped" };
  if (facts.killedBecause !== undefined && facts.noRespawn)
    return { kind: "killed", reason: facts.killedBecause };
  const why = `the agent process exited with ${facts.signal ?? `code ${facts.exitCode}`}${facts.lastEvents.length > 0 ? ` after: ${facts.lastEvents.join("; ")}` : " before reporting anything"}`;
  if (facts.noRespawn || facts.respawns >= facts.maxRespawns)
    return { kind: "dead", why };
  return { kind: "respawn", why };
}
