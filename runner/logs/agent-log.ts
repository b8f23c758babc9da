/**
 * Per-agent logs: `.gitswarm/runs/<run>/agents/<agent>.log`, written by the runner (the one writer
 * of each file) from what the agent process reports — what it printed, its tool and model calls,
 * the prompt of each attempt — redacted like events.jsonl and capped by size with rotation
 * (`<agent>.log.1`, `.2`: the oldest is dropped).
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  renameSync,
  statSync,
} from "node:fs";
import path from "node:path";
import {
  redact,
  secretEntries,
  type Secret,
} from "../../coordination/base/secret-env.js";
import { formatLogEntry, type AgentLogEntry } from "./agent-log-line.js";

/** Size at which a log rotates (8 MiB); two rotated files are kept, so at most ~24 MiB per agent. */
export const DEFAULT_MAX_LOG_BYTES = 8 * 1024 * 1024;
/** How many rotated files are kept beside the live one. */
export const KEPT_ROTATIONS = 2;

/** The folder of a run's agent logs. */
export function agentLogsDir(runDir: string): string {
  return path.join(runDir, "agents");
}

/** The live log file of one agent in one run (rotated ones add `.1`, `.2`). */
export function agentLogFile(runDir: string, agent: string): string {
  return path.join(agentLogsDir(runDir), `${agent}.log`);
}

/** Appends entries to one agent's log, synchronously (a crash right after still has them). */
export class AgentLog {
  readonly file: string;
  private size: number;
  // The runner holds every key; whatever an agent printed is redacted here, whatever it was.
  private readonly secrets: Secret[] = secretEntries(process.env);

  constructor(
    runDir: string,
    agent: string,
    private readonly maxBytes = DEFAULT_MAX_LOG_BYTES,
  ) {
    this.file = agentLogFile(runDir, agent);
    try {
      mkdirSync(agentLogsDir(runDir), { recursive: true });
      this.size = existsSync(this.file) ? statSync(this.file).size : 0;
    } catch {
      this.size = 0;
      this.broken = true;
    }
  }

  // An unwritable log (a read-only runs dir) must not crash the runner: it stops writing, and the
  // run's event log, failing the same way, stops the run cleanly (issue 19).
  private broken = false;

  /** Writes one entry (its time defaults to now); rotates first when it would pass the cap. */
  write(entry: Omit<AgentLogEntry, "time"> & { time?: string }): void {
    const text = redact(
      formatLogEntry({ time: new Date().toISOString(), ...entry }),
      this.secrets,
    );
    const bytes = Buffer.byteLength(text);
    if (this.broken) return;
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.file, text);
      this.size += bytes;
    } catch {
      this.broken = true;
    }
  }

  private rotate(): void {
    for (let i = KEPT_ROTATIONS; i >= 1; i -= 1) {
      const from = i === 1 ? this.file : `${this.file}.${i - 1}`;
      if (existsSync(from)) renameSync(from, `${this.file}.${i}`);
    }
    this.size = 0;
  }
}
