/**
 * Builds the dashboard's snapshot from what any clone can read: the swarm state on the hub
 * (coordination/protocol/swarm-state.ts, the same reader `gitswarm status` uses) and the latest
 * run's event log as runner/dashboard/run-fold.ts folds it. Pure: plain data in, plain JSON out.
 */
import type { SwarmState } from "../../coordination/protocol/swarm-state.js";
import { entryTaskId } from "../../coordination/state/hub-view.js";
import type { BoardTask, DashboardSnapshot } from "./snapshot-types.js";
import { buildQueueView } from "./queue-view.js";
import type { RunFold } from "./run-fold.js";

/** The snapshot: the hub's tasks (when read) with what the run's events add. Pure. */
export function buildSnapshot(
  state: SwarmState | undefined,
  fold: RunFold,
  extra: {
    problem: string | null;
    /** Whether a run is live in this checkout (pause and the agent buttons steer it). */
    live: boolean;
    paused: boolean;
    /** When the hub was last read: a claim or done logged after it shows at once. */
    hubReadAt?: number;
  },
): DashboardSnapshot {
  const releasable = new Set(
    (state?.locks ?? []).flatMap((l) =>
      l.lease?.state === "stale" || (!l.entry.ok && l.entry.breakable === true)
        ? [entryTaskId(l.entry)]
        : [],
    ),
  );
  const leases = new Map(
    (state?.locks ?? []).flatMap((l) =>
      l.entry.ok && l.lease
        ? [[l.entry.lock.task, l.lease.state] as const]
        : [],
    ),
  );
  const tasks = (state?.tasks ?? []).map((t): BoardTask => {
    const seen = fold.tasks.get(t.task.id);
    const fresh =
      seen?.latest !== undefined &&
      seen.latest.column !== "ended" &&
      Date.parse(seen.latest.time) > (extra.hubReadAt ?? Infinity) &&
      t.status !== "done"
        ? seen.latest
        : undefined;
    return {
      id: t.task.id,
      title: t.task.title,
      // Queued work is held by its claim on the hub, but waits for the lander, not its agent.
      column:
        fresh?.column === "done"
          ? "done"
          : t.queued !== undefined
            ? "queue"
            : fresh
              ? "claimed"
              : t.status,
      holder:
        fresh?.column === "done"
          ? null
          : fresh
            ? fresh.agent
            : (t.holder?.agent ?? null),
      attempt: t.holder?.attempt ?? seen?.attempt ?? t.marker?.attempt ?? null,
      claimedAt:
        fresh?.column === "done" ? null : (t.holder?.claimedAt ?? null),
      lease: leases.get(t.task.id) ?? null,
      releasable: releasable.has(t.task.id),
      costUsd: round(seen?.costUsd ?? 0),
      needs: t.task.needs,
      waitingOn: t.waitingOn,
      tags: t.task.tags,
      // Shown while the claim is held: once done or failed, the wait is over.
      approval: t.status === "claimed" ? (seen?.approval ?? null) : null,
      reviews: seen?.reviews ?? [],
      lastFailure:
        t.status === "blocked"
          ? (t.task.blockedReason ?? seen?.lastFailure ?? null)
          : (seen?.lastFailure ?? failedRelease(t.marker?.reason)),
    };
  });
  const agents = [...fold.agents.values()].map((a) => ({
    ...a,
    costUsd: round(a.costUsd),
  }));
  return {
    tip: state?.tip ?? null,
    run: fold.run === null ? null : { ...fold.run, paused: extra.paused },
    tasks,
    agents,
    queue: buildQueueView(state, fold.queue),
    costs: {
      perAgent: agents.map((a) => ({
        name: a.name,
        costUsd: a.costUsd,
        tokens: a.tokens,
      })),
      timeline: fold.timeline.map((p) => ({ ...p, costUsd: round(p.costUsd) })),
      claims: fold.claims,
    },
    problem: extra.problem,
    can: { control: extra.live },
  };
}

function failedRelease(reason: string | undefined): string | null {
  return reason !== undefined && /^attempt \d+ failed: /.test(reason)
    ? reason
    : null;
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
