/**
 * The lander inside `gitswarm run` (with `queue.enabled`): a small driver that wakes when an agent
 * of this run enqueues, and polls the hub every `queue.poll` for entries enqueued elsewhere (other
 * runners, humans with `gitswarm land --queue`), and runs one lander at a time in the runner's
 * process. Failures become events, never a crashed swarm.
 */
import { parseDuration } from "../../coordination/base/duration.js";
import type { EventInput, SwarmEvent } from "../../coordination/base/events.js";
import { HUB_QUEUE_REFS } from "../../coordination/git/queue-refs.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { OracleConfig } from "../../oracle/index.js";
import type { SwarmConfig } from "../config.js";
import type { LanderState } from "./land-cycle.js";
import { runLander } from "./lander.js";
import { settlesQueue, touchQueueTick } from "./queue-tick.js";

export interface LanderScheduleOptions {
  home: Workspace;
  repoDir: string;
  config: SwarmConfig;
  /** Loads the oracle config from the lander's clone (absent: the repo has no oracle). */
  loadOracle?: (dir: string) => Promise<OracleConfig | undefined>;
  leaseMs: number;
  /** Claim ids held live in this process: the lander's is added while it lands (the sweeper spares it). */
  liveClaims?: Set<string>;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
  /** The run's folder: its queue tick (queue-tick.ts) is rewritten when the lander settles an entry. */
  runDir?: string;
}

/** The running schedule: feed it events; `finish` waits for the lander in flight. */
export interface LanderSchedule {
  onEvent(event: SwarmEvent): void;
  finish(): Promise<void>;
}

/**
 * Starts the schedule; a no-op unless `queue.enabled`. The lander starts at once (its clone, claim
 * and oracle config ready before the first entry arrives) and, holding the lease, waits while the
 * queue is empty instead of giving it back: a wake (an enqueue here, or entries found by the poll)
 * sends it on. `finish` lets it drain what waits, then give the lease back.
 */
export function startLanderSchedule(
  options: LanderScheduleOptions,
): LanderSchedule {
  const { queue } = options.config;
  if (!queue.enabled)
    return { onEvent: () => undefined, finish: async () => undefined };
  const state: LanderState = { limit: queue.batch.max };
  const limits = {
    ...queue.batch,
    waitMs:
      queue.batch.wait === undefined
        ? 0
        : (parseDuration(queue.batch.wait) ?? 0),
  };
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  // The lingering lander's resume: true to look again, false to give the lease back.
  let waiter: ((more: boolean) => void) | undefined;
  let lingering = false;
  const pollMs = parseDuration(queue.poll) ?? 1000;
  // A lander mid-gate waiting for entries to speculate on (land-cycle.ts): told of each enqueue.
  const listeners = new Set<() => void>();
  let lastEnqueue = 0;
  const arrivals = (until: AbortSignal, since: number) =>
    new Promise<boolean>((resolve) => {
      if (until.aborted) return resolve(false);
      if (lastEnqueue > since) return resolve(true);
      const done = (more: boolean) => {
        listeners.delete(arrived);
        until.removeEventListener("abort", aborted);
        resolve(more);
      };
      const arrived = () => done(true);
      const aborted = () => done(false);
      listeners.add(arrived);
      until.addEventListener("abort", aborted, { once: true });
    });

  // An enqueue seen while the lander was mid-turn: its next idle looks again at once instead of
  // waiting for the next poll (the turn may have read the queue before that entry arrived).
  let pending = false;
  // Lingering (fewer than batch.min wait), it also looks again when the linger is over; a run
  // that is finishing drains (state.drain), so what lingers still lands.
  const idle = (lingerMs?: number) =>
    new Promise<boolean>((resolve) => {
      if (options.signal.aborted) return resolve(false);
      if (stopped) return resolve(lingerMs !== undefined);
      if (pending) {
        pending = false;
        return resolve(true);
      }
      lingering = lingerMs !== undefined;
      const over =
        lingerMs === undefined
          ? undefined
          : setTimeout(() => waiter?.(true), lingerMs);
      waiter = (more) => {
        clearTimeout(over);
        lingering = false;
        waiter = undefined;
        resolve(more);
      };
    });
  const run = async () => {
    const end = await runLander({
      home: options.home,
      repoDir: options.repoDir,
      name: "lander",
      loadOracle: options.loadOracle,
      limits,
      speculate: queue.speculate,
      arrivals,
      pollMs,
      maxAttempts: options.config.maxAttempts,
      leaseMs: options.leaseMs,
      liveClaims: options.liveClaims,
      emit: options.emit,
      signal: options.signal,
      idle,
      state,
    });
    if (end.outcome === "busy")
      options.emit({
        type: "queue",
        agent: "lander",
        phase: "busy",
        detail: end.local
          ? "another lander runs in this folder"
          : `another lander holds the queue${end.holder ? ` (${end.holder})` : ""}`,
      });
  };
  const start = (first: boolean) => {
    if (running !== undefined) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        if (first || (await hasEntries(options.home)))
          await run().catch((error: Error) =>
            options.emit({
              type: "error",
              agent: "lander",
              message: `lander: ${error.message}`,
            }),
          );
        first = false;
      } while (again && !stopped && !options.signal.aborted);
    })()
      .catch(() => undefined)
      .finally(() => (running = undefined));
  };
  const wake = (enqueued: boolean) => {
    if (stopped || options.signal.aborted) return;
    const resume = waiter;
    if (resume === undefined) {
      if (enqueued && running !== undefined) pending = true;
      return start(false);
    }
    if (enqueued) return resume(true);
    // Lingering, the lander knows entries wait: a poll would only re-read the same queue each
    // second. It looks again when its own agents enqueue or the linger is over.
    if (lingering) return;
    void hasEntries(options.home).then((has) => {
      if (has) waiter?.(true);
    });
  };
  const onAbort = () => waiter?.(false);
  options.signal.addEventListener("abort", onAbort, { once: true });
  const timer = setInterval(() => wake(false), pollMs);
  timer.unref();
  start(true);
  return {
    onEvent(event) {
      if (event.type !== "queue") return;
      if (event.phase === "enqueue") {
        lastEnqueue = Date.now();
        for (const arrived of [...listeners]) arrived();
        wake(true);
      } else if (options.runDir !== undefined && settlesQueue(event.phase))
        void touchQueueTick(options.runDir);
    },
    async finish() {
      stopped = true;
      state.drain = true;
      clearInterval(timer);
      // What an agent enqueued last is landed first: the lander drains, then gives the lease back.
      waiter?.(true);
      await running;
      options.signal.removeEventListener("abort", onAbort);
    },
  };
}

/** Whether the hub's queue holds any ref (one `ls-remote`, no fetch). */
async function hasEntries(home: Workspace): Promise<boolean> {
  const listed = await home.git.tryRun([
    "ls-remote",
    home.remote,
    `${HUB_QUEUE_REFS}*`,
  ]);
  return listed.ok && listed.stdout.trim() !== "";
}
