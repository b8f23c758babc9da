/**
 * Why a run did nothing: a run that ends with no task done says so, with every reason that kept
 * the tasks from being worked (none in PROGRESS.md, all done, blocked, waiting, held by another
 * runner, unrunnable on this host, a zero budget or task limit, agents that could not work).
 * Pure: the run's facts in, lines of words out.
 */
import type { SwarmEvent } from "../../../coordination/base/events.js";

/** What the run knows at its end about its tasks and agents. */
export interface RunFacts {
  total: number;
  doneAtStart: number;
  doneAtEnd: number;
  blocked: readonly string[];
  /** Open tasks that wait on others not done: id and what it waits on. */
  waiting: readonly { task: string; on: readonly string[] }[];
  /** Tasks another runner's agents hold: id and holder. */
  heldElsewhere: readonly { task: string; holder: string }[];
  /** Tasks no agent of this run can ever run here, with the reason. */
  unschedulable: readonly { task: string; reason: string }[];
  /** How each agent's process ended (the supervisor's slot states). */
  agentEnds: readonly { name: string; state: string }[];
  /** Tasks claimed during the run, and the last reason each agent's attempt failed. */
  claims: number;
  failures: readonly { agent: string; reason: string }[];
  /** A limit that ended the run, with the figure the user gave. */
  limit?: { kind: "budget" | "max-tasks"; value?: number };
  stopped: boolean;
  /** Why the hub was lost, when the run ended for it. */
  outage?: string;
}

/** The reasons a run did nothing, one line each; empty when it finished some task. */
export function whyNothingDone(f: RunFacts): string[] {
  if (f.doneAtEnd > f.doneAtStart) return [];
  if (f.stopped) return ["it was stopped before any task was done"];
  if (f.total === 0)
    return [
      "PROGRESS.md has no tasks: add lines like '- [ ] parser: Write the parser'",
    ];
  if (f.doneAtStart === f.total) return ["every task was already done"];
  const lines: string[] = [];
  if (f.outage !== undefined) lines.push(`the hub was lost: ${f.outage}`);
  const spentOut = f.agentEnds.filter((a) => a.state === "budget");
  if (f.limit?.kind === "budget" || spentOut.length > 0)
    lines.push(
      `the budget${f.limit?.value === undefined ? "" : ` ($${f.limit.value})`} was spent before any task was done`,
    );
  if (f.limit?.kind === "max-tasks")
    lines.push(`--max-tasks ${f.limit.value ?? 0} allowed no task`);
  if (f.blocked.length > 0)
    lines.push(`blocked (a human must unblock them): ${f.blocked.join(", ")}`);
  if (f.waiting.length > 0)
    lines.push(
      `waiting on unfinished tasks: ${f.waiting.map((w) => `${w.task} (needs ${w.on.join(", ")})`).join(", ")}`,
    );
  if (f.heldElsewhere.length > 0)
    lines.push(
      `held by other runners: ${f.heldElsewhere.map((h) => `${h.task} (${h.holder})`).join(", ")}`,
    );
  for (const u of f.unschedulable) lines.push(`cannot run here: ${u.reason}`);
  const auth = f.agentEnds.filter((a) => a.state === "auth");
  if (auth.length > 0)
    lines.push(
      `credentials refused for ${auth.map((a) => a.name).join(", ")} (run 'gitswarm doctor')`,
    );
  const failed = f.agentEnds.filter((a) => a.state === "failed");
  if (failed.length > 0)
    lines.push(
      `agents that kept crashing: ${failed.map((a) => a.name).join(", ")} (see 'gitswarm logs AGENT')`,
    );
  for (const failure of f.failures)
    lines.push(`${failure.agent}'s last attempt failed: ${failure.reason}`);
  if (lines.length === 0)
    lines.push(
      f.claims === 0
        ? "no agent claimed a task (see the event log)"
        : `${f.claims} claim(s), none finished (see the event log)`,
    );
  return lines;
}

/** What {@link watchAttempts} has seen of the run so far. */
export interface AttemptWatch {
  onEvent(event: SwarmEvent): void;
  claims(): number;
  failures(): { agent: string; reason: string }[];
  /** Tasks reported as never runnable here, with the first reason given. */
  unschedulable(): { task: string; reason: string }[];
}

/** Collects from the run's events: claims made, each agent's last failure, unrunnable tasks. */
export function watchAttempts(): AttemptWatch {
  let claims = 0;
  const last = new Map<string, string>();
  const never = new Map<string, string>();
  return {
    onEvent(event) {
      if (
        event.type === "claim" &&
        (event.outcome === "won" || event.outcome === "resumed")
      )
        claims += 1;
      if (event.type === "attempt-failed") last.set(event.agent, event.reason);
      if (event.type === "done") last.delete(event.agent);
      if (event.type === "unschedulable" && !never.has(event.task))
        never.set(event.task, event.reason);
    },
    claims: () => claims,
    unschedulable: () => [...never].map(([task, reason]) => ({ task, reason })),
    failures: () =>
      [...last].map(([agent, reason]) => ({
        agent,
        reason: firstLine(reason),
      })),
  };
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
