/**
 * What a run cost, from the runner's event log (`events.jsonl`): spend and tokens per agent and per
 * task, attempts, and the spend of attempts that never landed. Pure: events in, figures out.
 *
 * Model calls carry no task: a call belongs to the attempt its agent is working on, which starts
 * with `agent-state: working` (with the task) and ends with `done`, `attempt-failed`, `blocked`,
 * `released`, a task `error` (not landed), or `agent-state: stopped | dead | killed`. A call that names its
 * task (`task` field) is taken at its word. Work handed to the merge queue (`queue: enqueue`) is an
 * attempt the agent has left but that has not ended: the lander ends it later, in the enqueuing
 * agent's name (`done`, `attempt-failed`, `blocked`), while the agent works on its next task.
 */

/** Spend, tokens and attempts of one agent or one task. */
export interface CostRow {
  name: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  attempts: number;
  /** Attempts that landed. */
  done: number;
  /** Attempts that ended without landing: failed, gave up, released, not landed. */
  failed: number;
  /**
   * Of `failed`, those whose task a later attempt landed: sent back by a gate (a review asking for
   * changes, a red oracle, a queue culprit) and redone, the retry the gates exist for.
   */
  redone: number;
  /** Spend of the failed attempts. */
  wastedUsd: number;
}

/** The cost section of the report (`costs`; null without an event log). */
export interface CostFigures {
  /** The event logs read. */
  logs: string[];
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  wastedUsd: number;
  /** Spend of calls made outside any attempt (counted per agent, not per task). */
  unattributedUsd: number;
  attempts: {
    total: number;
    done: number;
    failed: number;
    /** Of `failed`, those whose task a later attempt landed (CostRow.redone). */
    redone: number;
    /** Stopped or crashed: the work stays on its branch for the next attempt to resume. */
    interrupted: number;
    /** No end in the log (a run still going, or a log cut short). */
    open: number;
  };
  /** Most spend first. */
  agents: CostRow[];
  tasks: CostRow[];
}

type Outcome = "done" | "failed" | "interrupted";

interface Attempt {
  task: string;
  costUsd: number;
}

const FAILED_EVENTS = new Set(["attempt-failed", "blocked", "released"]);
/** The agent process ended mid-attempt (stopped, crashed, killed by the supervisor or the demo). */
const ENDED_STATES = new Set(["stopped", "dead", "killed", "failed"]);

/** Folds the events of one or more logs (each log's events in order) into the cost figures. */
export function foldCosts(
  logs: ReadonlyArray<{ file: string; events: readonly unknown[] }>,
): CostFigures {
  const agents = new Map<string, CostRow>();
  const tasks = new Map<string, CostRow>();
  const row = (map: Map<string, CostRow>, name: string): CostRow => {
    let entry = map.get(name);
    if (entry === undefined) map.set(name, (entry = emptyRow(name)));
    return entry;
  };
  const total = { ...emptyRow(""), unattributed: 0, interrupted: 0, open: 0 };
  /** Each failed attempt's rows: redone once its task lands. */
  const failedAttempts: { task: string; rows: CostRow[] }[] = [];
  for (const log of logs) {
    const open = new Map<string, Attempt>();
    /** Attempts waiting in the merge queue, by agent and task. */
    const queued = new Map<string, Attempt>();
    const queuedKey = (agent: string, task: string) => `${agent}\0${task}`;
    /** Ends the agent's current attempt at `task` (or any, without one), or its queued one. */
    const finish = (agent: string, outcome: Outcome, task?: string) => {
      let attempt = open.get(agent);
      if (
        attempt !== undefined &&
        (task === undefined || attempt.task === task)
      )
        open.delete(agent);
      else if (task !== undefined && queued.has(queuedKey(agent, task))) {
        attempt = queued.get(queuedKey(agent, task));
        queued.delete(queuedKey(agent, task));
      } else return;
      if (attempt === undefined) return;
      const rows = [row(agents, agent), row(tasks, attempt.task), total];
      for (const r of rows) {
        if (outcome === "done") r.done += 1;
        if (outcome === "failed") {
          r.failed += 1;
          r.wastedUsd += attempt.costUsd;
        }
      }
      if (outcome === "interrupted") total.interrupted += 1;
      if (outcome === "failed")
        failedAttempts.push({ task: attempt.task, rows });
    };
    for (const raw of log.events) {
      const e = raw as Record<string, unknown>;
      const agent = text(e.agent);
      const task = text(e.task);
      if (agent === undefined) continue;
      if (e.type === "model-call") {
        const cost = number(e.costUsd);
        const input = number(e.inputTokens);
        const output = number(e.outputTokens);
        // Model requests, not CLI runs: one event may stand for several (older logs: one).
        const requests = e.requests === undefined ? 1 : number(e.requests);
        const attempt = open.get(agent);
        const owner =
          task ?? (attempt === undefined ? undefined : attempt.task);
        const rows = [row(agents, agent), total];
        if (owner !== undefined) rows.push(row(tasks, owner));
        else total.unattributed += cost;
        for (const r of rows) {
          r.calls += requests;
          r.inputTokens += input;
          r.outputTokens += output;
          r.costUsd += cost;
        }
        if (
          attempt !== undefined &&
          (task === undefined || task === attempt.task)
        )
          attempt.costUsd += cost;
      } else if (e.type === "agent-state" && e.state === "working" && task) {
        if (open.has(agent)) total.open += 1;
        open.set(agent, { task, costUsd: 0 });
        for (const r of [row(agents, agent), row(tasks, task), total])
          r.attempts += 1;
      } else if (
        e.type === "queue" &&
        e.phase === "enqueue" &&
        task !== undefined &&
        open.get(agent)?.task === task
      ) {
        queued.set(queuedKey(agent, task), open.get(agent) as Attempt);
        open.delete(agent);
      } else if (e.type === "done" && task !== undefined)
        finish(agent, "done", task);
      else if (
        (FAILED_EVENTS.has(String(e.type)) || e.type === "error") &&
        task !== undefined
      )
        finish(agent, "failed", task);
      else if (e.type === "agent-state" && ENDED_STATES.has(String(e.state)))
        finish(agent, "interrupted");
    }
    total.open += open.size + queued.size;
  }
  for (const failed of failedAttempts)
    if ((tasks.get(failed.task)?.done ?? 0) > 0)
      for (const r of failed.rows) r.redone += 1;
  const byCost = (a: CostRow, b: CostRow) =>
    b.costUsd - a.costUsd || a.name.localeCompare(b.name);
  return {
    logs: logs.map((l) => l.file),
    calls: total.calls,
    inputTokens: total.inputTokens,
    outputTokens: total.outputTokens,
    costUsd: usd(total.costUsd),
    wastedUsd: usd(total.wastedUsd),
    unattributedUsd: usd(total.unattributed),
    attempts: {
      total: total.attempts,
      done: total.done,
      failed: total.failed,
      redone: total.redone,
      interrupted: total.interrupted,
      open: total.open,
    },
    agents: [...agents.values()].map(rounded).sort(byCost),
    tasks: [...tasks.values()].map(rounded).sort(byCost),
  };
}

function emptyRow(name: string): CostRow {
  return {
    name,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    attempts: 0,
    done: 0,
    failed: 0,
    redone: 0,
    wastedUsd: 0,
  };
}

function rounded(row: CostRow): CostRow {
  return { ...row, costUsd: usd(row.costUsd), wastedUsd: usd(row.wastedUsd) };
}

/** Dollars to a millionth: sums of float prices would otherwise print as 0.30000000000000004. */
function usd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function number(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
