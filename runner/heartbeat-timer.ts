/** Sends a claim's heartbeats on a timer while its agent works, one at a time. */
import { sendHeartbeat } from '../coordination/heartbeat.js';
import type { HeldClaim } from '../coordination/finish.js';
import type { Workspace } from '../coordination/workspace.js';
import type { EventInput } from './events.js';

export interface HeartbeatTimer {
  /** Stops the timer and sends a last heartbeat, so the latest work is on the hub. */
  stop(): Promise<void>;
}

/** Starts heartbeats every `everyMs`; failures are reported, never thrown. */
export function startHeartbeats(ws: Workspace, claim: HeldClaim, everyMs: number, emit: (event: EventInput) => void): HeartbeatTimer {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const beat = async () => {
    try {
      const result = await sendHeartbeat(ws, claim);
      emit({ type: 'heartbeat', agent: claim.agent, task: claim.taskId, ok: result.ok, ...(result.ok ? {} : { message: result.message }) });
    } catch (error) {
      emit({ type: 'heartbeat', agent: claim.agent, task: claim.taskId, ok: false, message: (error as Error).message });
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      inFlight = beat().then(() => {
        if (!stopped) schedule();
      });
    }, everyMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
      await beat();
    },
  };
}
