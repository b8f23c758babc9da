/**
 * The coalescer inside `gitswarm run`: a pure decision (`decideCoalesce`) over what happened since
 * the last run — tasks landed, time passed — and a small driver that runs `coalesceOnce` in the
 * runner's process, one at a time, in the background, and once more at the end of the run when
 * the code findings grew since its start. Failures become events, never a crashed swarm; a rate
 * limit backs off (the next try waits twice as long, up to an hour) without counting a failure.
 */
import type { Agent } from "../../agents/types.js";
import { parseDuration } from "../../coordination/base/duration.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { SwarmConfig } from "../config.js";
import type { EventInput, SwarmEvent } from "../../coordination/base/events.js";
import type { CoalesceConfig } from "./config.js";
import { detectCode } from "./detect/detect.js";
import { isJudged } from "./judge.js";
import type { CoalesceResult } from "./coalesce-types.js";
import { coalesceOnce } from "./run-coalesce.js";
import { withScanClone } from "./workspace.js";

/** What the schedule knows when it decides. */
export interface ScheduleState {
  landedSinceLast: number;
  msSinceLast: number;
  running: boolean;
  /** Not before this time (ms since epoch): a rate-limit backoff. */
  notBefore: number;
  now: number;
}

/** Whether to start a coalescer now, per `coalesce.every`. Pure. */
export function decideCoalesce(
  every: CoalesceConfig["every"],
  state: ScheduleState,
): boolean {
  if (every === undefined || state.running || state.now < state.notBefore)
    return false;
  const byTasks =
    every.tasks !== undefined && state.landedSinceLast >= every.tasks;
  const durationMs =
    every.duration === undefined ? undefined : parseDuration(every.duration);
  const byTime = durationMs !== undefined && state.msSinceLast >= durationMs;
  return byTasks || byTime;
}

export interface ScheduleOptions {
  home: Workspace;
  repoDir: string;
  config: SwarmConfig;
  /** Makes the cleanup agent, only when a coalescer actually runs. */
  agent?: () => Agent | undefined;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
}

/** The running schedule: feed it events; `finish` runs the end-of-run check and waits. */
export interface CoalesceSchedule {
  onEvent(event: SwarmEvent): void;
  finish(): Promise<void>;
}

/** Starts the schedule (a no-op when neither `coalesce.every` nor `coalesce.atEnd` is set). */
export function startCoalesceSchedule(
  options: ScheduleOptions,
): CoalesceSchedule {
  const { every, atEnd } = options.config.coalesce;
  let landed = 0;
  let lastAt = Date.now();
  let running: Promise<void> | undefined;
  let notBefore = 0;
  let backoffMs = 60_000;
  const baseline = atEnd
    ? countCode(options).catch(() => undefined)
    : Promise.resolve(undefined);
  const timer =
    every?.duration === undefined
      ? undefined
      : setInterval(
          () => maybeRun(),
          Math.min(60_000, parseDuration(every.duration) ?? 60_000),
        );
  timer?.unref();

  const runOnce = (why: string): Promise<void> => {
    lastAt = Date.now();
    landed = 0;
    const run = (async () => {
      options.emit({
        type: "coalesce",
        agent: "coalescer",
        phase: "start",
        detail: why,
      });
      try {
        const result = await coalesceOnce({
          home: options.home,
          repoDir: options.repoDir,
          config: options.config,
          agent: options.agent?.(),
          signal: options.signal,
          onEvent: (event) => options.emit(event),
        });
        noteResult(result);
      } catch (error) {
        options.emit({
          type: "error",
          agent: "coalescer",
          task: "swarm-coalesce",
          message: `coalesce: ${(error as Error).message}`,
        });
      }
    })();
    running = run.finally(() => (running = undefined));
    return running;
  };
  const noteResult = (result: CoalesceResult) => {
    if (result.cleanup?.outcome === "rate-limited") {
      notBefore = Date.now() + backoffMs;
      backoffMs = Math.min(backoffMs * 2, 3_600_000);
    } else backoffMs = 60_000;
  };
  const maybeRun = () => {
    if (options.signal.aborted) return;
    const state = {
      landedSinceLast: landed,
      msSinceLast: Date.now() - lastAt,
      running: running !== undefined,
      notBefore,
      now: Date.now(),
    };
    if (decideCoalesce(every, state))
      void runOnce(
        every?.tasks !== undefined && landed >= every.tasks
          ? `${landed} task(s) landed`
          : "time",
      );
  };
  return {
    onEvent(event) {
      if (event.type !== "done") return;
      landed += 1;
      maybeRun();
    },
    async finish() {
      if (timer) clearInterval(timer);
      await running;
      const before = await baseline;
      if (!atEnd || before === undefined || options.signal.aborted) return;
      const after = await countCode(options).catch(() => undefined);
      if (after !== undefined && after > before)
        await runOnce(
          `code findings grew during the run (${before} -> ${after})`,
        );
    },
  };
}

/** How many code findings the hub's main has now (what "findings grew" compares). */
async function countCode(options: ScheduleOptions): Promise<number> {
  return withScanClone(options.home, async (ws) => {
    const findings = await detectCode(
      options.repoDir,
      ws.dir,
      options.config.coalesce,
      options.signal,
    );
    return findings.filter(isJudged).length;
  });
}
