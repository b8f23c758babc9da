/**
 * Breaks stale locks on a timer: a lock whose lease expired with no heartbeat within a lease length
 * belongs to a dead holder (one of ours that was not respawned, or an agent on another machine).
 * The lease rules decide; the break keeps the work branch for the next claimer. A claim this very
 * process holds and keeps alive (its lander's `swarm-land`) is spared whatever the lease evidence
 * says: on a loaded machine a late heartbeat must not let a runner break its own live lander.
 */
import { breakLock } from "../../coordination/protocol/break-lock.js";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { EventInput } from "../../coordination/base/events.js";

/** What a sweep leaves alone, and its clock (tests). */
export interface SweepOptions {
  /** Claim ids this process holds live: never broken by its own sweeper. */
  spare?: ReadonlySet<string>;
  now?: () => Date;
  signal?: AbortSignal;
}

/** Runs one sweep: breaks every stale lock on the hub; returns the tasks whose locks were broken. */
export async function sweepStaleLocks(
  ws: Workspace,
  breaker: string,
  emit: (event: EventInput) => void,
  options: SweepOptions = {},
): Promise<string[]> {
  const { signal, now } = options;
  const state = await readSwarmState(ws, { signal, now: now?.() });
  const broken: string[] = [];
  for (const lock of state.locks) {
    if (!lock.entry.ok || lock.lease?.state !== "stale") continue;
    if (options.spare?.has(lock.entry.lock.claimId)) continue;
    const result = await breakLock(ws, {
      taskId: lock.entry.lock.task,
      breaker,
      signal,
      now,
    });
    if (result.outcome === "broken") {
      broken.push(lock.entry.lock.task);
      emit({
        type: "break",
        agent: breaker,
        task: lock.entry.lock.task,
        evidence: result.evidence,
      });
    }
  }
  return broken;
}

/** Sweeps every `everyMs` until stopped; errors are reported, never thrown. */
export function startLockSweeper(
  ws: Workspace,
  breaker: string,
  everyMs: number,
  emit: (event: EventInput) => void,
  spare?: ReadonlySet<string>,
) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = sweepStaleLocks(ws, breaker, emit, { spare })
      .catch((error: Error) =>
        emit({
          type: "error",
          agent: breaker,
          message: `lock sweep failed: ${error.message}`,
        }),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, everyMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
