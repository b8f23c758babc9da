/**
 * An agent process's events in words, for the lines a human reads (why an agent died, what it did
 * last). The events themselves stay, as JSON, in events.jsonl.
 */

/** One event an agent process reported, said in a few words. Pure. */
export function describeActivity(event: Record<string, unknown>): string {
  const text = (key: string) => String(event[key] ?? "?");
  const task = typeof event.task === "string" ? ` ${event.task}` : "";
  switch (event.type) {
    case "claim":
      return `claim of${task}: ${text("outcome")}`;
    case "model-call": {
      const tokens =
        Number(event.inputTokens ?? 0) + Number(event.outputTokens ?? 0);
      return `a call to ${text("model")} (${tokens} tokens, $${Number(event.costUsd ?? 0).toFixed(4)})`;
    }
    case "tool-call":
      return `tool ${text("tool")} ${event.ok ? "ran" : "failed"}`;
    case "agent-event":
      return describeAgentEvent(event.event);
    case "heartbeat":
      return event.ok
        ? `heartbeat on${task}`
        : `heartbeat on${task} failed: ${firstLine(event.message)}`;
    case "agent-state":
      return `${text("state")}${task}`;
    case "oracle":
      return `oracle on${task}: ${text("passed")} passed, ${text("failed")} failed`;
    case "done":
      return `finished${task}`;
    case "attempt-failed":
      return `attempt ${text("attempt")} at${task} failed: ${firstLine(event.reason)}`;
    case "blocked":
      return `blocked${task}: ${firstLine(event.reason)}`;
    case "released":
      return `released${task}`;
    case "break":
      return `broke the lock on${task}`;
    case "error":
      return `error: ${firstLine(event.message)}`;
    default:
      return String(event.type);
  }
}

function describeAgentEvent(inner: unknown): string {
  if (typeof inner !== "object" || inner === null) return "agent event";
  const event = inner as Record<string, unknown>;
  if (event.type === "cli-run")
    return `ran ${String(event.command)} (exit ${String(event.exitCode)}, ${String(event.outcome)})`;
  return `agent event ${String(event.type)}`;
}

/** The first line of a message, at most 200 characters (stack traces stay in the log). */
function firstLine(value: unknown): string {
  const line = String(value ?? "").split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
