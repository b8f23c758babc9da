/**
 * What a runner does on the hub beside its agents' work: sweep stale locks (lock-sweeper.ts) and
 * announce itself to the fleet (announcer.ts), both every half lease; stopped together at its end.
 */
import os from "node:os";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { EventInput } from "../../coordination/base/events.js";
import { startLockSweeper } from "../swarm/lock-sweeper.js";
import { startAnnouncer } from "./announcer.js";

/** Who the runner is, for its announcements. */
export interface RunnerDutiesOptions {
  breaker: string;
  leaseMs: number;
  runnerId: string;
  agents: string[];
  /** `jobs.gpus` of the config: a count or the device indices. */
  gpus?: number | number[];
  emit: (event: EventInput) => void;
  /** Claim ids this process holds live (its lander's): its sweeper never breaks them. */
  spare?: ReadonlySet<string>;
}

/** Starts the sweeper and the announcer; `stop` stops both (the announcer says `stopped`). */
export function startRunnerDuties(
  ws: Workspace,
  options: RunnerDutiesOptions,
): { stop(): Promise<void> } {
  const everyMs = Math.max(500, Math.floor(options.leaseMs / 2));
  const sweeper = startLockSweeper(
    ws,
    options.breaker,
    everyMs,
    options.emit,
    options.spare,
  );
  const gpus = options.gpus;
  const announcer = startAnnouncer(
    ws,
    {
      id: options.runnerId,
      host: os.hostname(),
      agents: options.agents,
      gpus: Array.isArray(gpus) ? gpus.length : (gpus ?? 0),
      startedAt: new Date().toISOString(),
      leaseMs: options.leaseMs,
      pid: process.pid,
    },
    everyMs,
    options.emit,
  );
  return {
    async stop() {
      await Promise.all([sweeper.stop(), announcer.stop()]);
    },
  };
}
