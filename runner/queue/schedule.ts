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
import { runLander } from "./lander.js";

export interface LanderScheduleOptions {
  home: Workspace;
  repoDir: string;
  config: SwarmConfig;
  /** Loads the oracle config from the lander's clone (absent: the repo has no oracle). */
  loadOracle?: (dir: string) => Promise<OracleConfig | undefined>;
  leaseMs: number;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
}

/** The running schedule: feed it events; `finish` waits for the lander in flight. */
export interface LanderSchedule {
  onEvent(event: SwarmEvent): void;
  finish(): Promise<void>;
}

/** Starts the schedule; a no-op unless `queue.enabled`. */
export function startLanderSchedule(
  options: LanderScheduleOptions,
): LanderSchedule {
  const { queue } = options.config;
  if (!queue.enabled)
    return { onEvent: () => undefined, finish: async () => undefined };
  const state = { limit: queue.batch.max };
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const pollMs = parseDuration(queue.poll) ?? 1000;

  const run = async () => {
    const end = await runLander({
      home: options.home,
      repoDir: options.repoDir,
      name: "lander",
      loadOracle: options.loadOracle,
      limits: queue.batch,
      maxAttempts: options.config.maxAttempts,
      leaseMs: options.leaseMs,
      emit: options.emit,
      signal: options.signal,
      state,
    });
    if (end.outcome === "busy")
      options.emit({
        type: "queue",
        agent: "lander",
        phase: "busy",
        detail: `another lander holds the queue${end.holder ? ` (${end.holder})` : ""}`,
      });
  };
  const wake = () => {
    if (stopped || options.signal.aborted) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        if (await hasEntries(options.home))
          await run().catch((error: Error) =>
            options.emit({
              type: "error",
              agent: "lander",
              message: `lander: ${error.message}`,
            }),
          );
      } while (again && !options.signal.aborted);
    })()
      .catch(() => undefined)
      .finally(() => (running = undefined));
  };
  const timer = setInterval(wake, pollMs);
  timer.unref();
  return {
    onEvent(event) {
      if (event.type === "queue" && event.phase === "enqueue") wake();
    },
    async finish() {
      stopped = true;
      clearInterval(timer);
      await running;
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
