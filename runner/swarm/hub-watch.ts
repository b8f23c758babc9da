/**
 * Hub outages at the run's level (issue 19): every process of the run (the runner and each agent)
 * retries an unreachable hub for `hubOutage` (coordination/git/hub-outage.ts) and reports the
 * outage as `hub` events; the runner follows them, and only when the hub has been unreachable for
 * longer than the window does it end the run, gracefully (locks kept with their lease: the next run
 * resumes) and saying why.
 */
import type {
  EventInput,
  EventLog,
  SwarmEvent,
} from "../../coordination/base/events.js";
import { parseDuration } from "../../coordination/base/duration.js";
import {
  setLongTimeout,
  type LongTimeout,
} from "../../coordination/base/long-timer.js";
import {
  onHubStateChange,
  setHubOutageWindow,
} from "../../coordination/git/hub-outage.js";

/** Configures this process's outage window and reports its changes as `hub` events. */
export function reportHubOutages(
  windowMs: number,
  emit: (event: EventInput) => void,
  agent?: string,
): void {
  setHubOutageWindow(windowMs);
  onHubStateChange((change) =>
    emit({
      type: "hub",
      ...(agent === undefined ? {} : { agent }),
      state: change.state,
      since: new Date(
        change.state === "unreachable"
          ? change.since
          : change.since - change.downMs,
      ).toISOString(),
      ...(change.state === "unreachable" ? { detail: change.detail } : {}),
    }),
  );
}

/**
 * Follows the run's `hub` events; calls `onTooLong` with the reason once the hub has been
 * unreachable (by any process's account, none seeing it back) for longer than `windowMs`.
 */
export function watchHubOutage(
  windowMs: number,
  onTooLong: (reason: string) => void,
): {
  onEvent(event: SwarmEvent): void;
  stop(): void;
  reason(): string | undefined;
} {
  let timer: LongTimeout | undefined;
  let reason: string | undefined;
  return {
    onEvent(event) {
      if (event.type !== "hub" || reason !== undefined) return;
      if (event.state === "reachable") {
        timer?.clear();
        timer = undefined;
        return;
      }
      if (timer !== undefined) return;
      const since = Date.parse(event.since);
      timer = setLongTimeout(
        () => {
          reason = `the hub has been unreachable since ${event.since} (longer than hubOutage, ${Math.round(windowMs / 1000)} s): stopping; run again to resume`;
          onTooLong(reason);
        },
        // A little past the agents' own window: they give up first and say so.
        Math.max(0, since + windowMs - Date.now()) + 1_000,
      );
      timer.unref();
    },
    stop: () => timer?.clear(),
    reason: () => reason,
  };
}

/** The runner's side: its own fetches retry too, and a too-long outage stops the run with its reason. */
export function watchRunHub(
  log: EventLog,
  config: { hubOutage: string },
  emit: (event: EventInput) => void,
  stop: () => void,
): { stop(): void; reason(): string | undefined } {
  const windowMs = parseDuration(config.hubOutage) ?? 300_000;
  reportHubOutages(windowMs, emit);
  const watcher = watchHubOutage(windowMs, (reason) => {
    emit({ type: "error", message: reason });
    stop();
  });
  log.onEvent((event) => watcher.onEvent(event));
  return watcher;
}
