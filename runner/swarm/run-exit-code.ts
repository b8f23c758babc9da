/**
 * The exit code of `gitswarm run`, from how the run ended: the README's CLI contract. A pure
 * function over plain data, so the run can record the code in its `run-end` event before the CLI
 * returns it (a run stopped by `timeout` shows 124 from timeout; its own 143 is in events.jsonl).
 */
import type { RunEndState } from "../../coordination/base/events.js";

/** The run's exit codes (README, "Commands"). */
export const RunExitCode = {
  /** Every task is done. */
  allDone: 0,
  /** Tasks blocked or left undone (including a run that could not reach its hub). */
  tasksLeft: 1,
  /** A limit the user set (`--max-tasks`, `--budget`) ended the run with tasks left. */
  limitReached: 4,
  /** Stopped by SIGHUP or by its parent exiting. */
  hangup: 129,
  /** Stopped by SIGINT (Ctrl-C). */
  interrupt: 130,
  /** Stopped by SIGTERM (`timeout`, `docker stop`, CI cancellation). */
  terminate: 143,
} as const;

/** Why a stop was requested; carried as the run's AbortSignal reason. */
export class StopRequest extends Error {
  constructor(
    /** SIGINT, SIGTERM, SIGHUP or the parent's exit, in words. */
    readonly why: string,
    /** The exit code a run stopped this way ends with. */
    readonly exitCode: RunExitCode,
  ) {
    super(`stop requested (${why})`);
  }
}

/** The exit code a stopped run ends with: the request's own, else that of Ctrl-C. */
export function stopExitCode(reason: unknown): RunExitCode {
  return reason instanceof StopRequest
    ? reason.exitCode
    : RunExitCode.interrupt;
}

/** One of RunExitCode's values. */
export type RunExitCode = (typeof RunExitCode)[keyof typeof RunExitCode];

/** The exit code of a run that ended in `state` with these tasks left (`stopReason` when stopped). */
export function runExitCode(
  state: RunEndState,
  tasks: { blocked: readonly string[]; open: readonly string[] },
  stopReason?: unknown,
): RunExitCode {
  const left = tasks.blocked.length + tasks.open.length;
  switch (state) {
    case "stopped":
      return stopExitCode(stopReason);
    case "budget":
    case "max-tasks":
      return left === 0 ? RunExitCode.allDone : RunExitCode.limitReached;
    case "finished":
      return left === 0 ? RunExitCode.allDone : RunExitCode.tasksLeft;
    default:
      return RunExitCode.tasksLeft;
  }
}
