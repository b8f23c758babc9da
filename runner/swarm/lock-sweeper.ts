/**
 * Breaks stale locks on a timer: a lock whose lease expired with no heartbeat within a lease length
 * belongs to a dead holder (one of ours that was not respawned, or an agent on another machine).
 * The lease rules decide; the break keeps the work branch for the next claimer.
 */
import { breakLock } from "../../coordination/protocol/break-lock.js";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { EventInput } from "../../coordination/base/events.js";

/** Runs one sweep: breaks every stale lock on the hub; returns the tasks whose locks were broken. */
export async function sweepStaleLocks(
  ws: Workspace,
  breaker: string,
  emit: (event: EventInput) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  const state = await readSwarmState(ws, { signal });
  const broken: string[] = [];
  for (const lock of state.locks) {
    if (!lock.entry.ok || lock.lease?.state !== "stale") continue;
    const result = await breakLock(ws, {
      taskId: lock.entry.lock.task,
      breaker,
      signal,
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
) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = sweepStaleLocks(ws, breaker, emit)
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
