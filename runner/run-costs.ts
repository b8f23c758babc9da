/**
 * What a run cost, read from its events.jsonl: per agent and per task, tokens, dollars, attempts,
 * and the spend wasted on attempts that failed (rejected by the gate, or given up). A model call
 * belongs to the task its agent held when it was made (an agent works one task at a time).
 */
import type { SwarmEvent } from "./events.js";

/** Spend and attempts of one agent or one task. */
export interface CostLine {
  name: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Claims won (each starts an attempt; resuming one's own claim continues it). */
  attempts: number;
  failedAttempts: number;
  /** Spent on attempts that failed or ended in `blocked`. */
  wastedUsd: number;
}

export interface CostReport {
  total: CostLine;
  agents: CostLine[];
  /** Tasks in the order they were first worked on; calls outside any task are not listed here. */
  tasks: (CostLine & { outcome: "done" | "blocked" | "unfinished" })[];
}

/** Folds a run's events into its cost report. Pure; tolerates a log cut short by a crash. */
export function summariseCosts(events: readonly SwarmEvent[]): CostReport {
  const total = emptyLine("total");
  const agents = new Map<string, CostLine>();
  const tasks = new Map<string, CostReport["tasks"][number]>();
  const line = <T extends CostLine>(
    map: Map<string, T>,
    name: string,
    make: () => T,
  ) => {
    let entry = map.get(name);
    if (entry === undefined) map.set(name, (entry = make()));
    return entry;
  };
  const agentLine = (name: string) => line(agents, name, () => emptyLine(name));
  const taskLine = (name: string) =>
    line(tasks, name, () => ({
      ...emptyLine(name),
      outcome: "unfinished" as const,
    }));
  // Per agent: the task it holds and what its current attempt has spent so far.
  const current = new Map<string, { task: string; spentUsd: number }>();

  for (const event of events) {
    switch (event.type) {
      case "claim":
        if (event.outcome === "won") {
          for (const l of [total, agentLine(event.agent), taskLine(event.task)])
            l.attempts += 1;
          current.set(event.agent, { task: event.task, spentUsd: 0 });
        } else if (
          event.outcome === "resumed" &&
          current.get(event.agent)?.task !== event.task
        )
          current.set(event.agent, { task: event.task, spentUsd: 0 });
        break;
      case "model-call": {
        const held = current.get(event.agent);
        const lines = [
          total,
          agentLine(event.agent),
          ...(held ? [taskLine(held.task)] : []),
        ];
        for (const l of lines) {
          l.calls += 1;
          l.inputTokens += event.inputTokens;
          l.outputTokens += event.outputTokens;
          l.costUsd += event.costUsd;
        }
        if (held) held.spentUsd += event.costUsd;
        break;
      }
      case "done":
        taskLine(event.task).outcome = "done";
        current.delete(event.agent);
        break;
      case "attempt-failed":
      case "blocked": {
        const wasted = current.get(event.agent)?.spentUsd ?? 0;
        const task = taskLine(event.task);
        if (event.type === "blocked") task.outcome = "blocked";
        for (const l of [total, agentLine(event.agent), task]) {
          l.failedAttempts += 1;
          l.wastedUsd += wasted;
        }
        current.delete(event.agent);
        break;
      }
      case "released":
        current.delete(event.agent);
        break;
      default:
        break;
    }
  }
  return { total, agents: [...agents.values()], tasks: [...tasks.values()] };
}

/** The cost report as table lines for a terminal (`status`, the end-of-run summary). */
export function formatCosts(report: CostReport): string[] {
  const { total } = report;
  return [
    `cost: $${total.costUsd.toFixed(4)} over ${total.calls} call(s); $${total.wastedUsd.toFixed(4)} wasted on ${total.failedAttempts} failed attempt(s)`,
    header("per agent"),
    ...report.agents.map((l) => row(l)),
    ...(report.tasks.length > 0
      ? [header("per task"), ...report.tasks.map((t) => row(t, t.outcome))]
      : []),
  ];
}

function header(label: string): string {
  return `  ${label.padEnd(18)} ${"tokens".padStart(8)} ${"cost".padStart(10)} ${"calls".padStart(6)} ${"attempts".padStart(8)} ${"failed".padStart(6)} ${"wasted".padStart(10)}`;
}

function row(l: CostLine, note = ""): string {
  const usd = (n: number) => `$${n.toFixed(4)}`.padStart(10);
  return `  ${l.name.padEnd(18).slice(0, 18)} ${formatTokens(l.inputTokens + l.outputTokens).padStart(8)} ${usd(l.costUsd)} ${String(l.calls).padStart(6)} ${String(l.attempts).padStart(8)} ${String(l.failedAttempts).padStart(6)} ${usd(l.wastedUsd)}${note ? `  ${note}` : ""}`;
}

function emptyLine(name: string): CostLine {
  return {
    name,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    attempts: 0,
    failedAttempts: 0,
    wastedUsd: 0,
  };
}

function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return String(n);
}
