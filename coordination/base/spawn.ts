/**
 * The one module that starts processes. Every spawn gets an argument array, an explicit cwd and
 * env, a timeout, an optional AbortSignal and an output cap, and runs in its own process group so
 * that a timeout or abort kills everything it started (SIGTERM, then SIGKILL).
 */
import { execa, type Subprocess } from "execa";
import { SwarmError } from "./errors.js";
import { scrubEnv } from "./secret-env.js";
import { setLongTimeout } from "./long-timer.js";
import { confineCommand } from "./sandbox/confine.js";
import type { ConfineRequest } from "./sandbox/sandbox-plan.js";

export interface SpawnOptions {
  cwd: string;
  /**
   * Variables added to (or, with `extendEnv: false`, replacing) the parent's environment. What is
   * inherited never carries a secret (see secret-env.ts); a key a child needs must be passed here.
   */
  env?: Record<string, string | undefined>;
  /** Inherit the parent's environment (default true). Set false to start from `env` alone. */
  extendEnv?: boolean;
  input?: string | Uint8Array;
  /** Kill the process group after this many milliseconds (default: none). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Cap on captured stdout and on stderr, each; past it the process is killed (default 64 MiB). */
  maxOutputBytes?: number;
  /** Run `file` as a shell command line. Only for commands a user wrote as a shell string. */
  shell?: boolean;
  /** Grace between SIGTERM and SIGKILL (default 2000 ms). */
  killGraceMs?: number;
  /**
   * Runs code an agent wrote: confine it in this process's agent sandbox (sandbox/confine.ts) as
   * this role; `cwd` defaults to the spawn's. No effect where no sandbox plan is set.
   */
  confine?: Omit<ConfineRequest, "cwd"> & { cwd?: string };
}

export interface SpawnResult {
  /** Exit code, or null when killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: Uint8Array;
  stderr: Uint8Array;
  timedOut: boolean;
  aborted: boolean;
  /** An output stream passed `maxOutputBytes`; the process was killed and output cut there. */
  overflowed: boolean;
  durationMs: number;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Runs a process to completion and returns what happened; never throws for a non-zero exit, a
 * timeout or an abort (they are in the result). Throws `SwarmError('spawn-failed')` only when the
 * process could not start at all, with `cause.code` such as 'ENOENT'.
 */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
): Promise<SpawnResult> {
  const started = performance.now();
  const cap = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const run = confined(file, args, options);
  const child = execa(run.file, run.args, {
    ...baseOptions(options),
    shell: run.shell,
    // We collect output ourselves: execa's buffering is slow for large outputs, and past the cap
    // we must kill the whole group, not only the child.
    buffer: false,
    ...(options.input === undefined
      ? { stdin: "ignore" }
      : { input: options.input }),
  });
  const killer = armKiller(child, options);
  let overflowed = false;
  const onOverflow = () => {
    if (overflowed) return;
    overflowed = true;
    if (child.pid !== undefined) killProcessGroup(child.pid, 0);
  };
  const stdout = capture(child.stdout, cap, onOverflow);
  const stderr = capture(child.stderr, cap, onOverflow);
  try {
    const result = toResult(await child, killer, started);
    return {
      ...result,
      stdout: stdout.bytes(),
      stderr: stderr.bytes(),
      overflowed,
    };
  } catch (error) {
    throw spawnFailure(file, options, error);
  } finally {
    killer.disarm();
  }
}

/** Collects a stream's chunks up to `cap` bytes; calls `onOverflow` once past it and drops the rest. */
function capture(
  stream: NodeJS.ReadableStream | null,
  cap: number,
  onOverflow: () => void,
) {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on("data", (chunk: Buffer) => {
    if (size >= cap) return onOverflow();
    const room = cap - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(room, chunk.length);
    if (chunk.length > room) onOverflow();
  });
  return { bytes: () => new Uint8Array(Buffer.concat(chunks, size)) };
}

/** Decodes process output as UTF-8, replacing invalid sequences with U+FFFD. */
export function decode(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** Streams stdout line by line (for large outputs such as `git log`); `done` settles at exit. */
export function streamLines(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
): {
  lines: AsyncIterable<string>;
  done: Promise<SpawnResult>;
  pid: number | undefined;
} {
  const started = performance.now();
  const run = confined(file, args, options);
  const child = execa(run.file, run.args, {
    ...baseOptions(options),
    shell: run.shell,
    buffer: { stdout: false, stderr: true },
    maxBuffer: { stderr: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT },
    // Given input is written and stdin closed: a CLI that reads stdin when it is not a TTY
    // (`codex exec`) would otherwise wait forever on the open pipe.
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  const killer = armKiller(child, options);
  const done = child.then(
    (result) => {
      try {
        return toResult(result, killer, started);
      } catch (error) {
        throw spawnFailure(file, options, error);
      }
    },
    (error: unknown) => {
      throw spawnFailure(file, options, error);
    },
  );
  done.finally(() => killer.disarm()).catch(() => undefined);
  const lines = child.iterable({
    from: "stdout",
    binary: false,
    preserveNewlines: false,
  });
  return { lines, done, pid: child.pid };
}

/** Kills a whole process group: SIGTERM now, SIGKILL after `graceMs` if anything is left. */
export function killProcessGroup(pid: number, graceMs = 2000): void {
  signalGroup(pid, "SIGTERM");
  setLongTimeout(() => signalGroup(pid, "SIGKILL"), graceMs).unref();
}

function confined(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
) {
  const command = { file, args, shell: options.shell ?? false };
  if (options.confine === undefined) return command;
  return confineCommand(command, { cwd: options.cwd, ...options.confine });
}

function baseOptions(options: SpawnOptions) {
  return {
    cwd: options.cwd,
    // Inherit everything but secrets: no child of gitswarm gets an API key by accident.
    env:
      options.extendEnv === false
        ? (options.env ?? {})
        : { ...scrubEnv(process.env), ...options.env },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    // Its own process group, so a kill reaches grandchildren too (a shell's children, a test
    // runner's workers); they would otherwise hold the pipes open and hang us.
    detached: true,
    windowsHide: true,
    cleanup: true,
  } as const;
}

interface Killer {
  disarm(): void;
  reason(): "timeout" | "abort" | undefined;
}

function armKiller(child: Subprocess, options: SpawnOptions): Killer {
  let reason: "timeout" | "abort" | undefined;
  const grace = options.killGraceMs ?? 2000;
  const kill = (why: "timeout" | "abort") => {
    if (reason !== undefined || child.pid === undefined) return;
    reason = why;
    killProcessGroup(child.pid, grace);
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : // A job's time-limit may pass a Node timer's 24.8-day ceiling: scheduled in chunks.
        setLongTimeout(() => kill("timeout"), options.timeoutMs);
  const onAbort = () => kill("abort");
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  return {
    disarm() {
      timer?.clear();
      options.signal?.removeEventListener("abort", onAbort);
    },
    reason: () => reason,
  };
}

interface ExecaLikeResult {
  exitCode?: number;
  signal?: string;
  stdout?: unknown;
  stderr?: unknown;
  isMaxBuffer?: boolean;
  failed?: boolean;
  code?: string;
  cause?: unknown;
}

function toResult(raw: unknown, killer: Killer, started: number): SpawnResult {
  const result = raw as ExecaLikeResult;
  const notStarted =
    result.failed === true &&
    result.exitCode === undefined &&
    result.signal === undefined;
  if (notStarted && killer.reason() === undefined) throw result.cause ?? raw;
  const why = killer.reason();
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stdout: toBytes(result.stdout),
    stderr: toBytes(result.stderr),
    timedOut: why === "timeout",
    aborted: why === "abort",
    overflowed: result.isMaxBuffer === true,
    durationMs: performance.now() - started,
  };
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return new TextEncoder().encode(value);
  return new Uint8Array();
}

function spawnFailure(
  file: string,
  options: SpawnOptions,
  error: unknown,
): SwarmError {
  const code = (error as { code?: string } | undefined)?.code;
  const hint =
    code === "ENOENT"
      ? `'${file}' was not found on PATH (or the working directory ${options.cwd} does not exist).`
      : `could not start '${file}' in ${options.cwd}: ${(error as Error).message}`;
  return new SwarmError("spawn-failed", hint, { cause: error });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone: nothing left to kill.
  }
}
