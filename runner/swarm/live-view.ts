/**
 * What a human watches while the swarm runs. On a terminal: a table redrawn in place (per agent:
 * task, state, elapsed, cost; overall: tasks done/total, oracle, spend, coordination tax so far).
 * Elsewhere (pipes, CI): one plain line per notable event. With --json: every event as JSON.
 */
import { formatMetrics } from "../jobs/job-metrics.js";
import { formatDuration } from "../../coordination/base/duration.js";
import type { SwarmEvent } from "../../coordination/base/events.js";
import { UNGATED } from "../gates/gate-plan.js";

interface AgentRow {
  task?: string;
  state: string;
  since: number;
  costUsd: number;
  done: number;
}

/** Folds events into the numbers the view shows. Pure apart from the clock it is given. */
export class RunTally {
  readonly agents = new Map<string, AgentRow>();
  /** Tasks done in this run. */
  done = 0;
  /** Tasks in PROGRESS.md when the run started, and how many of them were done already. */
  totalTasks = 0;
  doneBefore = 0;
  /** Tasks done per the hub's PROGRESS.md as last read (other runners' work included). */
  doneOnHub = 0;
  /** The run has started (run-start seen): before that it is setting up the hub and the clones. */
  started = false;
  costUsd = 0;
  coordinationCommits = 0;
  oracle: { passed: number; failed: number } | undefined;
  /** The run has no oracle: nothing but the no-change check and the project's gates checks the work. */
  ungated = false;
  /** When the hub became unreachable, while it is (ISO time). */
  hubDownSince: string | undefined;
  /** Tasks whose work waits for a human's approval, with when the wait began (ISO time). */
  readonly awaitingApproval = new Map<string, string>();
  /**
   * The run's agents, from run-start: only they get a row. The runner, the lander and the
   * coalescer also act in events, but they are no agent a user started (a row of theirs would
   * say "starting" for the whole run).
   */
  private roster: ReadonlySet<string> | undefined;

  /** Applies one event. */
  apply(event: SwarmEvent, now = Date.now()): void {
    const row =
      "agent" in event && event.agent && this.isAgent(event.agent)
        ? this.row(event.agent, now)
        : undefined;
    if (event.type === "run-start") {
      this.roster = new Set(event.agents.map((a) => a.name));
      for (const name of this.roster) this.row(name, now);
      this.started = true;
      this.totalTasks = event.tasks;
      this.doneBefore = event.tasksDone ?? 0;
      this.ungated = event.oracle === false;
    } else if (event.type === "agent-state" && row) {
      if (row.state !== event.state || row.task !== event.task) row.since = now;
      row.state = event.state;
      row.task = event.task;
    } else if (event.type === "model-call") {
      if (row) row.costUsd += event.costUsd;
      this.costUsd += event.costUsd;
    } else if (event.type === "done") {
      if (row) row.done += 1;
      this.done += 1;
    } else if (event.type === "tasks") {
      // PROGRESS.md as last read on the hub: a task a human added or removed mid-run counts.
      this.totalTasks = event.total;
      this.doneOnHub = event.done;
    } else if (event.type === "oracle")
      this.oracle = { passed: event.passed, failed: event.failed };
    else if (event.type === "approval") {
      if (event.state === "waiting")
        this.awaitingApproval.set(event.task, event.time);
      else this.awaitingApproval.delete(event.task);
      if (row && event.state === "waiting") {
        row.state = "approval";
        row.task = event.task;
      }
    } else if (event.type === "hub")
      this.hubDownSince =
        event.state === "unreachable"
          ? (this.hubDownSince ?? event.since)
          : undefined;
    if (isCoordinationCommit(event)) this.coordinationCommits += 1;
  }

  /**
   * Tasks done, before this run and in it, or on the hub as last read if that says more (another
   * runner's work); the total follows PROGRESS.md's edits (`tasks` events) and is never below done.
   */
  tasksDone(): { done: number; total: number } {
    const done = Math.max(this.doneBefore + this.done, this.doneOnHub);
    return { done, total: Math.max(this.totalTasks, done) };
  }

  /** Share of main-branch commits so far that were coordination (blocks, synced PROGRESS.md edits). */
  tax(): number {
    const all = this.coordinationCommits + this.done;
    return all === 0 ? 0 : this.coordinationCommits / all;
  }

  private isAgent(name: string): boolean {
    return this.roster === undefined || this.roster.has(name);
  }

  private row(name: string, now: number): AgentRow {
    let row = this.agents.get(name);
    if (!row)
      this.agents.set(
        name,
        (row = { state: "starting", since: now, costUsd: 0, done: 0 }),
      );
    return row;
  }
}

/** Claims, releases and breaks live on task refs, not main: only blocks and synced edits count. */
function isCoordinationCommit(event: SwarmEvent): boolean {
  return (
    event.type === "blocked" ||
    (event.type === "progress-sync" && event.commit !== undefined)
  );
}

/** The table for a terminal. */
export function renderTable(tally: RunTally, now = Date.now()): string {
  const lines = [...tally.agents].map(([name, row]) => {
    const task = (row.task ?? "-").padEnd(22).slice(0, 22);
    return `  ${name.padEnd(18).slice(0, 18)} ${task} ${row.state.padEnd(9)} ${formatDuration(now - row.since).padStart(6)}  $${row.costUsd.toFixed(4)}  ${row.done} done`;
  });
  const oracle = tally.oracle
    ? `oracle ${tally.oracle.passed} passed, ${tally.oracle.failed} failing`
    : tally.ungated
      ? UNGATED
      : "oracle not run yet";
  const { done, total } = tally.tasksDone();
  // Before run-start there are no figures yet, only work: say which, rather than 0/0 tasks.
  if (!tally.started)
    return "gitswarm: setting up: the hub, one clone per agent, the sandbox; agents start next";
  return [
    `gitswarm: ${done}/${total} tasks done · ${oracle} · spent $${tally.costUsd.toFixed(4)} · coordination tax ${(tally.tax() * 100).toFixed(0)}%`,
    ...(tally.awaitingApproval.size > 0
      ? [
          `gitswarm: waiting for a human: ${[...tally.awaitingApproval].map(([task, since]) => `${task} (since ${since.slice(11, 19)})`).join(", ")}; gitswarm approve ID | gitswarm reject ID --reason TEXT`,
        ]
      : []),
    ...(tally.hubDownSince
      ? [
          `gitswarm: hub unreachable since ${tally.hubDownSince.slice(11, 19)}, retrying; agents keep working locally`,
        ]
      : []),
    ...lines,
  ].join("\n");
}

/** One line for a notable event (plain output), or undefined for chatter. */
export function describeEvent(event: SwarmEvent): string | undefined {
  const t = event.time.slice(11, 19);
  switch (event.type) {
    case "run-start":
      return event.sandbox === undefined
        ? undefined
        : `${t} sandbox: ${event.sandbox}`;
    case "claim":
      return event.outcome === "won" || event.outcome === "resumed"
        ? `${t} ${event.agent} claimed ${event.task}${event.outcome === "resumed" ? " (resumed)" : ""}`
        : undefined;
    case "done":
      return `${t} ${event.agent} finished ${event.task} (attempt ${event.attempt}, ${event.commit.slice(0, 10)})`;
    case "gate":
      return event.ok
        ? undefined
        : `${t} ${event.agent} gate ${event.gate} did not pass ${event.task}: ${event.reason ?? ""}`;
    case "review":
      return `${t} ${event.reviewer} reviewed ${event.task} (attempt ${event.attempt}): ${event.verdict === "error" ? `no verdict, ${event.detail ?? "error"}` : event.verdict === "approve" ? "approved" : `changes requested (${event.findings} finding(s))`}`;
    case "approval":
      return event.state === "waiting"
        ? `${t} ${event.task} (work of ${event.agent}) waits for a human (${event.detail ?? "passed its gates"}): gitswarm approve ${event.task} | gitswarm reject ${event.task} --reason TEXT`
        : `${t} ${event.task} ${event.state} by ${event.by ?? "a human"}${event.state === "rejected" && event.detail ? `: ${event.detail}` : ""}`;
    case "oracle":
      return `${t} ${event.agent} oracle on ${event.task}: ${event.passed} passed, ${event.failed} failing${event.regressions?.length ? `, regressions: ${event.regressions.slice(0, 5).join(", ")}` : ""}`;
    case "attempt-failed":
      // Most are the gates doing their job (a review asking for changes, a red oracle): the task
      // goes back to the queue for another attempt, which the next lines show.
      return `${t} ${event.agent} attempt ${event.attempt} at ${event.task} ended without landing: ${event.reason}`;
    case "blocked":
      return `${t} ${event.agent} marked ${event.task} blocked: ${event.reason}`;
    case "break":
      return `${t} ${event.agent} broke the stale lock on ${event.task}: ${event.evidence}`;
    case "respawn":
      return `${t} respawning ${event.agent}${event.delayMs ? ` in ${formatDuration(event.delayMs)}` : ""}: ${event.reason}`;
    case "hub":
      return event.state === "unreachable"
        ? `${t} ${event.agent ?? "runner"}: hub unreachable since ${event.since.slice(11, 19)}, retrying (agents keep working locally)${event.detail ? `: ${event.detail}` : ""}`
        : `${t} ${event.agent ?? "runner"}: hub reachable again (down since ${event.since.slice(11, 19)})`;
    case "unschedulable":
      return `${t} never claimed: ${event.reason}`;
    case "job-metrics":
      return `${t} ${event.agent} ${event.task}: ${formatMetrics(event.metrics)}`;
    case "coalesce":
      return ["findings", "claimed"].includes(event.phase)
        ? undefined
        : `${t} coalescer ${event.phase}: ${event.detail}`;
    case "queue":
      return event.phase === "busy"
        ? undefined
        : `${t} ${event.phase === "enqueue" ? event.agent : "queue"} ${event.phase}: ${event.detail}`;
    case "control":
      return `${t} ${event.by}: ${event.action}${event.agent ? ` ${event.agent}` : ""}${event.refused ? " (not possible now)" : ""}`;
    case "progress-sync":
      if (event.commit)
        return `${t} PROGRESS.md: your edit reached the swarm (${event.commit.slice(0, 10)})`;
      return event.message ? `${t} PROGRESS.md: ${event.message}` : undefined;
    case "error": {
      // A stack trace is for the log; the line says what failed.
      const [first = "", ...rest] = event.message.split("\n");
      const more = rest.some((l) => l.trim() !== "")
        ? " (details in events.jsonl)"
        : "";
      return `${t} ${event.agent ? `${event.agent}: ` : ""}${first}${more}`;
    }
    case "agent-state":
      if (event.state === "killed")
        return `${t} ${event.agent} killed on purpose${event.reason ? `: ${event.reason}` : ""}`;
      return event.state === "dead"
        ? `${t} ${event.agent} died${event.reason ? `: ${event.reason}` : ""}`
        : undefined;
    default:
      return undefined;
  }
}
