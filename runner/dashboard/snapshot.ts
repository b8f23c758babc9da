/**
 * Builds the dashboard's snapshot from what any clone can read: the swarm state on the hub
 * (coordination/protocol/swarm-state.ts, the same reader `gitswarm status` uses) and the latest
 * run's event log. Pure: plain data in, plain JSON out.
 */
import type { SwarmEvent } from "../../coordination/base/events.js";
import type { SwarmState } from "../../coordination/protocol/swarm-state.js";
import { entryTaskId } from "../../coordination/state/hub-view.js";
import type {
  BoardAgent,
  BoardApproval,
  BoardReview,
  BoardTask,
  DashboardSnapshot,
} from "./snapshot-types.js";
import {
  buildQueueView,
  foldQueueEvents,
  type QueueFold,
} from "./queue-view.js";

interface TaskFold {
  /** The last claim won or task landed, with its time (shown before the hub is read again). */
  latest?: {
    column: "claimed" | "done" | "ended";
    agent: string;
    time: string;
  };
  costUsd: number;
  attempt: number | null;
  lastFailure: string | null;
  approval: BoardApproval | null;
  reviews: BoardReview[];
}

/** What the event log says, folded per agent and per task. */
interface RunFold {
  agents: Map<string, BoardAgent>;
  tasks: Map<string, TaskFold>;
  timeline: { time: string; costUsd: number }[];
  claims: { won: number; lost: number };
  run: Omit<NonNullable<DashboardSnapshot["run"]>, "paused"> | null;
  queue: QueueFold;
}

/** Folds a run's events (in order). Pure; a log cut short by a crash folds as far as it goes. */
export function foldRun(
  runId: string | null,
  events: readonly SwarmEvent[],
): RunFold {
  const fold: RunFold = {
    agents: new Map(),
    tasks: new Map(),
    timeline: [],
    claims: { won: 0, lost: 0 },
    queue: foldQueueEvents(events),
    run:
      runId === null
        ? null
        : { id: runId, state: "running", costUsd: 0, tasksDone: 0 },
  };
  const agent = (name: string): BoardAgent => {
    let entry = fold.agents.get(name);
    if (entry === undefined)
      fold.agents.set(
        name,
        (entry = {
          name,
          kind: "?",
          state: "starting",
          task: null,
          lastTool: null,
          tokens: 0,
          costUsd: 0,
          tasksDone: 0,
        }),
      );
    return entry;
  };
  const task = (id: string): TaskFold => {
    let entry = fold.tasks.get(id);
    if (entry === undefined)
      fold.tasks.set(
        id,
        (entry = {
          costUsd: 0,
          attempt: null,
          lastFailure: null,
          approval: null,
          reviews: [],
        }),
      );
    return entry;
  };
  let spent = 0;
  for (const event of events) {
    switch (event.type) {
      case "run-start":
        for (const a of event.agents) agent(a.name).kind = a.kind;
        break;
      case "agent-state": {
        const a = agent(event.agent);
        a.state = event.state;
        if (event.task !== undefined) a.task = event.task;
        else if (event.state !== "working") a.task = null;
        break;
      }
      case "claim":
        if (event.outcome === "won" || event.outcome === "resumed") {
          fold.claims.won += 1;
          agent(event.agent).task = event.task;
          task(event.task).latest = {
            column: "claimed",
            agent: event.agent,
            time: event.time,
          };
        } else fold.claims.lost += 1;
        break;
      case "tool-call":
        agent(event.agent).lastTool =
          `${event.tool} ${event.ok ? "ok" : "failed"} (${event.ms} ms)`;
        break;
      case "model-call": {
        const a = agent(event.agent);
        a.tokens += event.inputTokens + event.outputTokens;
        a.costUsd += event.costUsd;
        if (a.task !== null) task(a.task).costUsd += event.costUsd;
        spent += event.costUsd;
        fold.timeline.push({ time: event.time, costUsd: spent });
        break;
      }
      case "done":
        agent(event.agent).tasksDone += 1;
        agent(event.agent).task = null;
        task(event.task).attempt = event.attempt;
        task(event.task).latest = {
          column: "done",
          agent: event.agent,
          time: event.time,
        };
        break;
      case "released":
        task(event.task).latest = {
          column: "ended",
          agent: event.agent,
          time: event.time,
        };
        break;
      case "attempt-failed":
        task(event.task).attempt = event.attempt;
        task(event.task).lastFailure = event.reason;
        break;
      case "blocked":
        task(event.task).lastFailure = event.reason;
        task(event.task).latest = {
          column: "ended",
          agent: event.agent,
          time: event.time,
        };
        break;
      case "review":
        // The latest attempt's verdicts: an earlier attempt's are history.
        task(event.task).reviews = [
          ...task(event.task).reviews.filter(
            (r) => r.attempt === event.attempt,
          ),
          {
            reviewer: event.reviewer,
            attempt: event.attempt,
            verdict: event.verdict,
            findings: event.findings,
            ...(event.detail ? { detail: event.detail } : {}),
          },
        ];
        break;
      case "approval":
        task(event.task).approval = {
          state: event.state,
          agent: event.agent,
          since: event.time,
          by: event.by ?? null,
          approve: `gitswarm approve ${event.task}`,
          reject: `gitswarm reject ${event.task} --reason TEXT`,
        };
        break;
      case "run-end":
        if (fold.run !== null) fold.run.state = event.state;
        break;
      default:
        break;
    }
  }
  if (fold.run !== null) {
    fold.run.costUsd = spent;
    fold.run.tasksDone = [...fold.agents.values()].reduce(
      (n, a) => n + a.tasksDone,
      0,
    );
  }
  return fold;
}

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
