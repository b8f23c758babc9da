/** Sends a claim's heartbeats on a timer while its agent works, one at a time. */
import {
  nextBeatDelay,
  sendHeartbeat,
} from "../../coordination/protocol/heartbeat.js";
import type { HeldClaim } from "../../coordination/protocol/finish.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { EventInput } from "../../coordination/base/events.js";
import type { JobMetrics } from "../jobs/job-metrics.js";

export interface HeartbeatTimer {
  /**
   * Stops the timer and, unless `lastBeat` is false, sends a last heartbeat so the latest work is on
   * the hub. Pass false once the claim has ended (done, released): a beat then only fails its fence.
   */
  stop(lastBeat?: boolean): Promise<void>;
}

/** Starts heartbeats every `everyMs`; failures are reported, never thrown. */
export function startHeartbeats(
  ws: Workspace,
  claim: HeldClaim,
  everyMs: number,
  emit: (event: EventInput) => void,
  /** A job's metrics reader: each beat carries the last metrics and reports them. */
  readMetrics?: () => Promise<JobMetrics | undefined>,
  /** A job's `Swarm-Job` trailer (run id, GPUs, time limit), carried by every beat. */
  jobInfo?: string,
  /**
   * When the first beat goes (default `everyMs`). 0 for a resumed claim: its lease was last renewed
   * by the process before this one and may have run out, so a sweeper could break it before a
   * first beat `everyMs` later.
   */
  firstBeatMs = everyMs,
): HeartbeatTimer {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  let claimEnded = false;
  const beat = async () => {
    try {
      const metrics = await readMetrics?.();
      const result = await sendHeartbeat(ws, {
        ...claim,
        ...(metrics === undefined ? {} : { metrics: JSON.stringify(metrics) }),
        ...(jobInfo === undefined ? {} : { job: jobInfo }),
      });
      // Reported after the beat is on the hub: the runner reading these may be gone already.
      if (metrics !== undefined)
        emit({
          type: "job-metrics",
          agent: claim.agent,
          task: claim.taskId,
          metrics,
        });
      // A beat that waited out the done-commit fails its fence: that is the claim ending, not news.
      if (!result.ok && claimEnded) return;
      emit({
        type: "heartbeat",
        agent: claim.agent,
        task: claim.taskId,
        ok: result.ok,
        ...(result.ok ? {} : { message: result.message }),
      });
    } catch (error) {
      emit({
        type: "heartbeat",
        agent: claim.agent,
        task: claim.taskId,
        ok: false,
        message: (error as Error).message,
      });
    }
  };
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      const startedAt = Date.now();
      inFlight = beat().then(() => {
        if (!stopped) schedule(nextBeatDelay(everyMs, startedAt, Date.now()));
      });
    }, delayMs);
  };
  schedule(firstBeatMs);
  return {
    async stop(lastBeat = true) {
      stopped = true;
      claimEnded = !lastBeat;
      if (timer) clearTimeout(timer);
      await inFlight;
      if (lastBeat) await beat();
    },
  };
}
