/**
 * The runner's side of the agent logs: one {@link AgentLog} per agent of a run, fed with every line
 * the agent's process prints (its events and its `agent-log` lines) and what its process left on
 * stderr when it ended. Knows which task each line belongs to, from the events themselves.
 */
import { AgentLog } from "./agent-log.js";
import { describeLogEvent } from "./agent-log-line.js";

/** What an agent process prints for its log only (never for events.jsonl). */
export interface AgentLogMessage {
  type: "agent-log";
  kind: "stdout" | "stderr" | "prompt";
  text: string;
}

const ENDS_TASK = new Set(["done", "blocked", "attempt-failed", "released"]);

/** One agent's log with the task it is on. */
export class AgentLogRecorder {
  private task: string | undefined;

  constructor(private readonly log: AgentLog) {}

  /** Records one JSON line of the agent process (an event or an agent-log message). */
  record(event: Record<string, unknown>): void {
    const eventTask = typeof event.task === "string" ? event.task : undefined;
    if (event.type === "agent-log") {
      this.log.write({
        task: this.task,
        kind: String(event.kind),
        text: String(event.text),
      });
      return;
    }
    if (
      (event.type === "agent-state" && event.state === "working") ||
      (event.type === "claim" &&
        (event.outcome === "won" || event.outcome === "resumed"))
    )
      this.task = eventTask;
    const { kind, text } = describeLogEvent(event);
    this.log.write({ task: eventTask ?? this.task, kind, text });
    if (
      ENDS_TASK.has(String(event.type)) ||
      (event.type === "agent-state" && eventTask === undefined)
    )
      this.task = undefined;
  }

  /** Records text that was not an event: a stray stdout line, the process's stderr. */
  printed(kind: "stdout" | "stderr" | "exit", text: string): void {
    if (text.trim() !== "") this.log.write({ task: this.task, kind, text });
  }
}

/** The agent logs of one run, opened on first use. */
export class AgentLogBook {
  private readonly recorders = new Map<string, AgentLogRecorder>();

  constructor(
    private readonly runDir: string,
    private readonly maxBytes?: number,
  ) {}

  /** The recorder of one agent (the same one across respawns). */
  forAgent(agent: string): AgentLogRecorder {
    let recorder = this.recorders.get(agent);
    if (recorder === undefined) {
      recorder = new AgentLogRecorder(
        new AgentLog(this.runDir, agent, this.maxBytes),
      );
      this.recorders.set(agent, recorder);
    }
    return recorder;
  }
}
