/**
 * The agent log's line format, pure: `<time> [<task>] <kind>: <text>`, one line per line of text,
 * so `grep`, `gitswarm logs --task` and the dashboard's tail all read it the same way.
 */
import { describeActivity } from "../agent/agent-activity.js";

/** One entry of an agent's log: what happened, during which task. */
export interface AgentLogEntry {
  time: string;
  /** The task the agent was working on, if any. */
  task?: string;
  /** `stdout`, `stderr`, `prompt`, `tool`, `model`, `event`, `exit`, ... */
  kind: string;
  text: string;
}

/** One parsed line of an agent log. */
export type AgentLogLine = Required<Omit<AgentLogEntry, "task">> & {
  task: string | undefined;
};

const LINE = /^(\S+) \[([^\]]*)\] ([a-z-]+): ?(.*)$/;

/** Renders an entry as log lines (a multi-line text becomes one line per line, each prefixed). */
export function formatLogEntry(entry: AgentLogEntry): string {
  const prefix = `${entry.time} [${entry.task ?? "-"}] ${entry.kind}:`;
  return entry.text
    .replace(/\r\n?/g, "\n")
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => (line === "" ? prefix : `${prefix} ${line}`))
    .join("\n")
    .concat("\n");
}

/** Parses one log line; a line that is not in the format comes back as untagged text. */
export function parseLogLine(line: string): AgentLogLine {
  const match = LINE.exec(line);
  if (match === null)
    return { time: "", task: undefined, kind: "text", text: line };
  const [, time = "", task = "-", kind = "", text = ""] = match;
  return { time, task: task === "-" ? undefined : task, kind, text };
}

/** Whether a log line belongs to a task (lines outside any task never do). */
export function isLineOfTask(line: string, task: string): boolean {
  return parseLogLine(line).task === task;
}

/** An agent process's event (as it printed it) in the words and kind of a log entry. Pure. */
export function describeLogEvent(event: Record<string, unknown>): {
  kind: string;
  text: string;
} {
  const n = (key: string) => Number(event[key] ?? 0);
  if (event.type === "tool-call") {
    const size =
      event.resultChars === undefined ? "" : `, ${n("resultChars")} chars`;
    return {
      kind: "tool",
      text: `${String(event.tool)} ${event.ok ? "ok" : "failed"} in ${n("ms")} ms${size}${event.truncated ? " (truncated)" : ""}`,
    };
  }
  if (event.type === "model-call")
    return {
      kind: "model",
      text: `${String(event.provider)}/${String(event.model)}: ${n("inputTokens")} in + ${n("outputTokens")} out tokens, $${n("costUsd").toFixed(4)}, ${n("latencyMs")} ms`,
    };
  if (event.type === "agent-event" && typeof event.event === "object")
    return describeInner(event.event as Record<string, unknown>);
  return { kind: "event", text: describeActivity(event) };
}

function describeInner(inner: Record<string, unknown>) {
  if (inner.type === "cli-run")
    return {
      kind: "exit",
      text: `${String(inner.command)} exited ${inner.exitCode === null ? "(killed)" : `with code ${String(inner.exitCode)}`} after ${String(inner.ms)} ms: ${String(inner.outcome)}`,
    };
  const rest = Object.entries(inner)
    .filter(([key]) => key !== "type" && key !== "agent")
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(" ");
  return { kind: "event", text: `${String(inner.type)} ${rest}`.trim() };
}
