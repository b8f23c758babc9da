/**
 * The lander's lease, kept like any holder's: a heartbeat at a fixed rate (every `everyMs` from the
 * START of the previous beat, so a beat slowed by load does not stretch the gap a sweeper sees),
 * lease-only (main's tree: the lander's checkout is batches and oracle output, no one's work, and
 * scanning it raced the lander's own checkouts). Failed beats are reported; a beat refused by the
 * fence means the lease is lost — another lander may be landing — and `onLost` stops this one.
 */
import type { EventInput } from "../../coordination/base/events.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { HeldClaim } from "../../coordination/protocol/finish.js";
import {
  nextBeatDelay,
  sendHeartbeat,
} from "../../coordination/protocol/heartbeat.js";

/** The running lease keeper. */
export interface LanderLease {
  /** Stops beating and waits for a beat in flight. */
  stop(): Promise<void>;
}

/** Beats for `claim` every `everyMs` until stopped; never throws. */
export function keepLanderLease(
  ws: Workspace,
  claim: HeldClaim,
  everyMs: number,
  emit: (event: EventInput) => void,
  onLost: (message: string) => void,
): LanderLease {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const beat = async () => {
    const started = Date.now();
    try {
      const result = await sendHeartbeat(ws, { ...claim, leaseOnly: true });
      if (!result.ok) {
        if (stopped) return;
        emit({
          type: "heartbeat",
          agent: claim.agent,
          task: claim.taskId,
          ok: false,
          message: result.message,
        });
        if (result.fenced) {
          stopped = true;
          onLost(result.message);
        }
      }
    } catch (error) {
      if (!stopped)
        emit({
          type: "heartbeat",
          agent: claim.agent,
          task: claim.taskId,
          ok: false,
          message: (error as Error).message,
        });
    } finally {
      if (!stopped)
        timer = setTimeout(
          () => (inFlight = beat()),
          nextBeatDelay(everyMs, started, Date.now()),
        );
    }
  };
  timer = setTimeout(() => (inFlight = beat()), everyMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
