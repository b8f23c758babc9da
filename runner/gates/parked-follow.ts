/**
 * The run's account of work its agents parked for a human (runner/gates/human-gate.ts). The answer
 * is carried out by `gitswarm approve` / `reject`, outside the run, so no event of the run says so;
 * the agent that parked the work reads the hub's state each time round its loop anyway, and when
 * the parked claim has ended it reports how: `approval` (approved or rejected, by whom), then `done`
 * for landed work (cost 0: the attempt's cost went out when it was parked, as with queued work) or
 * `attempt-failed` with the human's reason. The live view, the summary and the notifier follow.
 */
import type { EventInput } from "../../coordination/base/events.js";
import type { SwarmState } from "../../coordination/protocol/swarm-state.js";
import { REBASE_PREFIX } from "../agent/attempts.js";

/** One parked claim this agent waits to hear about. */
interface Parked {
  claimId: string;
  attempt: number;
}

const FAILED = /^attempt \d+ failed: (.*)$/s;

/** The events that report the end of parked claims in `state`; the ended ones are forgotten. */
export function followParked(
  parked: Map<string, Parked>,
  state: Pick<SwarmState, "tasks">,
  agent: string,
): EventInput[] {
  const events: EventInput[] = [];
  for (const [taskId, claim] of parked) {
    const t = state.tasks.find((s) => s.task.id === taskId);
    if (t?.holder?.claimId === claim.claimId) continue; // still waits
    parked.delete(taskId);
    const marker = t?.marker?.claimId === claim.claimId ? t.marker : undefined;
    if (marker?.state === "done") {
      const by = /approved by ([^;]+)$/.exec(marker.review ?? "")?.[1];
      events.push(
        {
          type: "approval",
          agent,
          task: taskId,
          state: "approved",
          ...(by ? { by } : {}),
        },
        {
          type: "done",
          agent,
          task: taskId,
          commit: marker.main ?? "",
          costUsd: 0,
          attempt: claim.attempt,
        },
      );
    } else if (marker?.state === "released" || marker?.state === "blocked") {
      const reason =
        FAILED.exec(marker.reason ?? "")?.[1] ?? marker.reason ?? "";
      if (reason.startsWith(REBASE_PREFIX)) {
        // Approved, but it conflicted with main: handed back to be rebased, not a failure.
        events.push({
          type: "approval",
          agent,
          task: taskId,
          state: "approved",
          detail: `not landed: ${reason.slice(REBASE_PREFIX.length)}`,
        });
        continue;
      }
      const rejected = /^rejected by ([^:]+): /.exec(reason);
      events.push({
        type: "approval",
        agent,
        task: taskId,
        state: "rejected",
        ...(rejected?.[1] ? { by: rejected[1] } : {}),
        detail: reason,
      });
      if (rejected)
        events.push({
          type: "attempt-failed",
          agent,
          task: taskId,
          attempt: claim.attempt,
          reason,
        });
    } else
      // Ended some other way (its lock broken by force, the task gone): no longer waits.
      events.push({
        type: "approval",
        agent,
        task: taskId,
        state: "rejected",
        detail: "the parked work no longer waits on the hub",
      });
  }
  return events;
}
