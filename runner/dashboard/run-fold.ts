/**
 * Folds a run's event log into what the dashboard adds to the hub's state: per agent (state,
 * task, cost, tokens), per task (the latest claim or landing, cost, attempt, last failure,
 * approval and reviews), the cost timeline, the claims won and lost, and the merge queue's events.
 * Pure: events in, plain data out.
 */
import type { SwarmEvent } from "../../coordination/base/events.js";
import type {
  BoardAgent,
  BoardApproval,
  BoardReview,
  DashboardSnapshot,
} from "./snapshot-types.js";
import { foldQueueEvents, type QueueFold } from "./queue-view.js";

export interface TaskFold {
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
export interface RunFold {
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
