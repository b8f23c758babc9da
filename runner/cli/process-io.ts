/**
 * The CLI's link to its process: stdout, stderr, and the stop requests (SIGINT, SIGTERM, SIGHUP, a
 * parent that went away) turned into the `CommandIo` AbortSignal, whose reason is a `StopRequest`
 * carrying the exit code (130, 143, 129). Requests within SAME_REQUEST_MS are one. A graceful stop
 * is bounded: if the command has not ended `boundMs` after the first request, or a second, separate
 * request comes, the process exits at once. Agents killed that way keep their locks, which expire with their lease, so the next
 * run resumes their work. SIGTERM is what `timeout`, systemd, `docker stop` and CI cancellation
 * send: it must end the runner as surely as a second Ctrl-C.
 */
import { readFileSync } from "node:fs";
import { RunExitCode, StopRequest } from "../swarm/run-exit-code.js";
import type { CommandIo } from "./command.js";

/**
 * How long a graceful stop may take: the time to push a last heartbeat (NETWORK_TIMEOUT_MS in
 * coordination/git/git.ts, 120 s) plus 30 s. Not imported from there: that would load git and execa
 * into every `--help`. test/runner/process-io.test.ts keeps the two in step.
 */
export const STOP_BOUND_MS = 150_000;

/** Exit codes of a stop, as a shell reports a process killed by the signal (README, "Commands"). */
const STOP_EXIT = {
  SIGINT: RunExitCode.interrupt,
  SIGTERM: RunExitCode.terminate,
  SIGHUP: RunExitCode.hangup,
  parent: RunExitCode.hangup,
} as const;
type StopCause = keyof typeof STOP_EXIT;

/**
 * Stop requests this close together are one request: GNU `timeout` signals its child and then the
 * child's whole process group, so two SIGTERMs arrive at once; only a separate, later request forces.
 */
export const SAME_REQUEST_MS = 1_000;

/** What the runner does when its parent process exits (`gitswarm run --on-parent-exit`). */
export type ParentExitPolicy = "stop" | "continue";

/** Options of `createProcessIo`; the environment's GITSWARM_STOP_BOUND_MS overrides `boundMs`. */
export interface ProcessIoOptions {
  boundMs?: number;
  /** How often to look whether the parent process is still there. */
  parentPollMs?: number;
}

/** Wires the real process to a `CommandIo`; call once per process (it installs signal handlers). */
export function createProcessIo(options: ProcessIoOptions = {}): CommandIo {
  const controller = new AbortController();
  const boundMs = stopBound(process.env, options.boundMs ?? STOP_BOUND_MS);
  const start = startedDetached();
  let parentPolicy: ParentExitPolicy = start.detached ? "continue" : "stop";
  let firstAt: number | undefined;
  const requestStop = (cause: StopCause) => {
    const now = Date.now();
    if (firstAt !== undefined) {
      if (now - firstAt < SAME_REQUEST_MS) return;
      forceExit(cause, "a second stop request");
    }
    firstAt = now;
    process.stderr.write(
      `gitswarm: stopping (${describe(cause)}): agents push their work and keep their locks; ` +
        `forced in ${Math.round(boundMs / 1000)} s or at a second Ctrl-C / SIGTERM.\n`,
    );
    setTimeout(
      () =>
        forceExit(cause, `still running ${boundMs} ms after the stop request`),
      boundMs,
    ).unref();
    controller.abort(new StopRequest(describe(cause), STOP_EXIT[cause]));
  };
  process.on("SIGINT", () => requestStop("SIGINT"));
  process.on("SIGTERM", () => requestStop("SIGTERM"));
  // A closed terminal hangs up: a graceful stop, not Node's default instant death. Under nohup
  // SIGHUP is ignored, and a handler here would undo that, so none is installed.
  if (!start.hangupIgnored) process.on("SIGHUP", () => requestStop("SIGHUP"));
  watchParent(options.parentPollMs ?? 1_000, () => {
    if (firstAt === undefined && parentPolicy === "stop") requestStop("parent");
  });
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    signal: controller.signal,
    setParentExitPolicy: (policy) => (parentPolicy = policy),
  };
}

/**
 * Whether this process was started detached from its terminal: SIGHUP ignored (`nohup`) or leader
 * of its own session (`setsid`). Read from /proc (Linux); elsewhere, never detached.
 */
export function startedDetached(
  status = readProc("/proc/self/status"),
  stat = readProc("/proc/self/stat"),
  pid = process.pid,
): { detached: boolean; hangupIgnored: boolean } {
  const ignored = /^SigIgn:\s+([0-9a-f]+)$/m.exec(status)?.[1];
  // SIGHUP is signal 1: the mask's lowest bit.
  const hangupIgnored =
    ignored !== undefined && (BigInt(`0x${ignored}`) & 1n) !== 0n;
  // The session id is the 6th field, after the command name in parentheses (which may hold spaces).
  const session = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
  return { detached: hangupIgnored || session === pid, hangupIgnored };
}

function readProc(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Reads GITSWARM_STOP_BOUND_MS (a positive integer of milliseconds), else the default. */
export function stopBound(env: NodeJS.ProcessEnv, fallback: number): number {
  const value = Number(env.GITSWARM_STOP_BOUND_MS);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function describe(cause: StopCause): string {
  return cause === "parent" ? "the parent process is gone" : cause;
}

function forceExit(cause: StopCause, why: string): never {
  process.stderr.write(`gitswarm: forced stop (${why}).\n`);
  process.exit(STOP_EXIT[cause]);
}

/**
 * Calls `onGone` once the process that started this one has exited (we were re-parented). `npm run`
 * answers SIGTERM by ending its shell, not the script: the runner it started is orphaned without a
 * signal and must stop by itself (issue 15: one ran on for 85 minutes). A runner started detached
 * (`nohup`, `setsid`) keeps running instead; `gitswarm run --on-parent-exit stop|continue` chooses
 * either way explicitly.
 */
function watchParent(pollMs: number, onGone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, pollMs);
  timer.unref();
}
