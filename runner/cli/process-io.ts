/**
 * The CLI's link to its process: stdout, stderr, and the stop requests (SIGINT, SIGTERM, a parent
 * that went away) turned into the `CommandIo` AbortSignal. A graceful stop is bounded: if the
 * command has not ended `boundMs` after the first request, or a second request comes, the process
 * exits at once. Agents killed that way keep their locks, which expire with their lease, so the next
 * run resumes their work. SIGTERM is what `timeout`, systemd, `docker stop` and CI cancellation
 * send: it must end the runner as surely as a second Ctrl-C.
 */
import type { CommandIo } from "./command.js";

/**
 * How long a graceful stop may take: the time to push a last heartbeat (NETWORK_TIMEOUT_MS in
 * coordination/git/git.ts, 120 s) plus 30 s. Not imported from there: that would load git and execa
 * into every `--help`. test/runner/process-io.test.ts keeps the two in step.
 */
export const STOP_BOUND_MS = 150_000;

/** Exit codes of a forced stop, as a shell reports a process killed by the signal. */
const FORCED_EXIT = { SIGINT: 130, SIGTERM: 143, parent: 129 } as const;
type StopCause = keyof typeof FORCED_EXIT;

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
  let requests = 0;
  const requestStop = (cause: StopCause) => {
    requests += 1;
    if (requests > 1) forceExit(cause, "a second stop request");
    process.stderr.write(
      `gitswarm: stopping (${describe(cause)}): agents push their work and keep their locks; ` +
        `forced in ${Math.round(boundMs / 1000)} s or at a second Ctrl-C / SIGTERM.\n`,
    );
    setTimeout(
      () =>
        forceExit(cause, `still running ${boundMs} ms after the stop request`),
      boundMs,
    ).unref();
    controller.abort(new Error(describe(cause)));
  };
  process.on("SIGINT", () => requestStop("SIGINT"));
  process.on("SIGTERM", () => requestStop("SIGTERM"));
  watchParent(options.parentPollMs ?? 1_000, () => {
    if (requests === 0) requestStop("parent");
  });
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    signal: controller.signal,
  };
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
  process.exit(FORCED_EXIT[cause]);
}

/**
 * Calls `onGone` once the process that started this one has exited (we were re-parented). `npm run`
 * answers SIGTERM by ending its shell, not the script: the runner it started is orphaned without a
 * signal and must stop by itself (issue 15: one ran on for 85 minutes). To keep a swarm running
 * after its terminal closes, start it under tmux, screen or a service manager, not with `nohup … &`.
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
