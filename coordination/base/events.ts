/**
 * The run's event log: one JSON object per line in `.gitswarm/runs/<run-id>/events.jsonl` — every
 * model call, tool call, claim, heartbeat, oracle result, merge, retry and error. It is what
 * `gitswarm status` and the live view read, and what a human greps after a run.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { UserError } from "./errors.js";
import { redact, secretEntries, type Secret } from "./secret-env.js";
import { unwritableLog } from "./unwritable.js";

type At<T> = T & { time: string };

export type SwarmEvent = At<
  | {
      type: "run-start";
      runId: string;
      agents: { name: string; kind: string }[];
      tasks: number;
      /** Of `tasks`, those already done when the run started. */
      tasksDone?: number;
      hub: string;
      /** Whether an oracle gates the work (false: the run is ungated, and says so). */
      oracle?: boolean;
      /** The gates every change passes, in order (runner/gates/). */
      gates?: string[];
      /** Which sandbox confines the agents' commands, or what running without one gives up. */
      sandbox?: string;
    }
  | {
      type: "agent-state";
      agent: string;
      state: string;
      task?: string;
      /** Why an agent died or was killed, in words. */
      reason?: string;
    }
  | {
      type: "claim";
      agent: string;
      task: string;
      outcome: string;
      reason?: string;
      rounds?: number;
    }
  | {
      type: "model-call";
      agent: string;
      provider: string;
      model: string;
      inputTokens: number;
      outputTokens: number;
      costUsd: number;
      /** Model requests this event stands for (a CLI run reports per model); absent: one. */
      requests?: number;
      /** Of inputTokens, those read from / written to the vendor's cache (priced at cache rates). */
      cacheReadTokens?: number;
      cacheWriteTokens?: number;
      /** How costUsd was priced: listed, vendor-max (unknown model), reported (by the CLI), unpriced. */
      priced?: "listed" | "vendor-max" | "reported" | "unpriced";
      latencyMs: number;
      /** The task the call was for, when the caller is not working on it (a reviewer). */
      task?: string;
    }
  | { type: "tool-call"; agent: string; tool: string; ok: boolean; ms: number }
  | { type: "agent-event"; agent: string; event: Record<string, unknown> }
  | {
      type: "heartbeat";
      agent: string;
      task: string;
      ok: boolean;
      message?: string;
    }
  | {
      type: "oracle";
      agent: string;
      task: string;
      /** `cases`: only the task's own cases (the merge queue's lander runs the full oracle). */
      scope: "sample" | "full" | "cases";
      passed: number;
      failed: number;
      regressions?: string[];
    }
  | {
      /** One gate of the pipeline (runner/gates/) passed or failed on a task's work. */
      type: "gate";
      agent: string;
      task: string;
      gate: string;
      ok: boolean;
      reason?: string;
    }
  | {
      /** One reviewer's verdict on a task's work (runner/gates/review-gate.ts); `agent` is the author. */
      type: "review";
      agent: string;
      task: string;
      reviewer: string;
      attempt: number;
      verdict: "approve" | "request-changes" | "error";
      findings: number;
      costUsd: number;
      detail?: string;
    }
  | {
      /** The human gate (runner/gates/human-gate.ts): work waits, or a human approved or rejected it. */
      type: "approval";
      agent: string;
      task: string;
      state: "waiting" | "approved" | "rejected";
      by?: string;
      detail?: string;
    }
  | {
      type: "done";
      agent: string;
      task: string;
      commit: string;
      costUsd: number;
      attempt: number;
    }
  | {
      type: "attempt-failed";
      agent: string;
      task: string;
      attempt: number;
      reason: string;
    }
  | { type: "blocked"; agent: string; task: string; reason: string }
  | {
      type: "job-metrics";
      agent: string;
      task: string;
      metrics: Record<string, number | string>;
    }
  | { type: "unschedulable"; agent: string; task: string; reason: string }
  | { type: "released"; agent: string; task: string; reason: string }
  | { type: "break"; agent: string; task: string; evidence: string }
  | { type: "respawn"; agent: string; reason: string; delayMs?: number }
  | {
      /** The hub became unreachable (retrying for `hubOutage`) or reachable again; `since` is when it went. */
      type: "hub";
      agent?: string;
      state: "unreachable" | "reachable";
      since: string;
      detail?: string;
    }
  | { type: "progress-sync"; source: string; commit?: string; message?: string }
  | {
      /** PROGRESS.md on the hub's main as last read: its task count changed (a human added or removed one). */
      type: "tasks";
      total: number;
      done: number;
    }
  | { type: "error"; agent?: string; task?: string; message: string }
  | {
      type: "coalesce";
      agent: string;
      /** start, claimed, busy, findings, archived, pruned, cleanup, end (runner/coalesce/). */
      phase: string;
      detail: string;
      findings?: Record<string, number>;
      costUsd?: number;
      commit?: string;
    }
  | {
      /** A user steered the run (runner/control/): `gitswarm pause|resume|agent`, or the dashboard. */
      type: "control";
      action: "pause" | "resume" | "stop" | "restart";
      /** The agent stopped or restarted. */
      agent?: string;
      /** Who asked (their git config user.name, or `--as`). */
      by: string;
      /** Set when the runner could not do it (the agent was not running, the run is ending). */
      refused?: boolean;
    }
  | {
      type: "run-end";
      state: RunEndState;
      tasksDone: number;
      costUsd: number;
      /** The exit code `gitswarm run` ends with (README, "Commands"). */
      exitCode?: number;
      /** Why no task was done, one reason each, when none was. */
      nothingDone?: string[];
    }
  | {
      type: "queue";
      /** The enqueuing agent, or the lander. */
      agent: string;
      /** enqueue, batch-start, batch-result, bisect, land, conflict, culprit, flaky, fenced, speculate, speculate-dropped (runner/queue/). */
      phase: string;
      detail: string;
      task?: string;
      tasks?: string[];
      /** batch-result: whether the batch's oracle run was green. */
      ok?: boolean;
      /** land: each landed task's wait in the queue (ms). */
      waitMs?: number[];
      /** Full oracle runs this step made. */
      oracleRuns?: number;
      commit?: string;
      /** How long this step's parts took (ms), e.g. batch-start `{ read, merge }`, land `{ push }`. */
      ms?: Record<string, number>;
    }
>;

export type RunEndState =
  "finished" | "stopped" | "budget" | "max-tasks" | "failed";

/** A distributive Omit, so each event variant keeps its own fields. */
export type EventInput = SwarmEvent extends infer E
  ? E extends SwarmEvent
    ? Omit<E, "time">
    : never
  : never;

/** Where runs keep their logs, inside the user's repo (git-ignored). */
export function runsDir(repoDir: string): string {
  return path.join(repoDir, ".gitswarm", "runs");
}

/** Appends events to a run's log synchronously, so a crash right after an event still has it. */
export class EventLog {
  readonly file: string;
  private readonly listeners: ((event: SwarmEvent) => void)[] = [];
  // The last line of defence: agents redact what they report, the log redacts what it writes.
  private readonly secrets: Secret[] = secretEntries(process.env);

  private readonly writeErrorListeners: ((error: UserError) => void)[] = [];
  private writeError: UserError | undefined;

  /** Creates the run's directory and log; throws a UserError naming the path if it cannot write. */
  constructor(runDir: string) {
    this.file = path.join(runDir, "events.jsonl");
    try {
      mkdirSync(runDir, { recursive: true });
      appendFileSync(this.file, "");
    } catch (error) {
      throw unwritableLog(this.file, error);
    }
  }

  /** Records one event with the current time and tells the listeners (the live view). */
  emit(event: EventInput): SwarmEvent {
    const raw = { time: new Date().toISOString(), ...event } as SwarmEvent;
    const text = JSON.stringify(raw);
    const line = redact(text, this.secrets);
    const full = line === text ? raw : (JSON.parse(line) as SwarmEvent);
    try {
      if (this.writeError === undefined) appendFileSync(this.file, `${line}\n`);
    } catch (error) {
      // Said once; the listeners (the live view, the runner) still get every event.
      this.writeError = unwritableLog(this.file, error);
      for (const listener of this.writeErrorListeners)
        listener(this.writeError);
    }
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** Adds values to redact from every line from now on (a notification target's URL). */
  redactAlso(values: readonly string[]): void {
    for (const value of values)
      if (value.length >= 8) this.secrets.push({ name: "notify-url", value });
    this.secrets.sort((a, b) => b.value.length - a.value.length);
  }

  /** Subscribes to the first failure to write the log (the runner stops the run on it). */
  onWriteError(listener: (error: UserError) => void): void {
    this.writeErrorListeners.push(listener);
  }

  /** Subscribes to events as they are written. */
  onEvent(listener: (event: SwarmEvent) => void): void {
    this.listeners.push(listener);
  }
}
