/**
 * The run's notifier: fed every event of the run, it sends each notification a target asked for,
 * once, in the background. Deliveries to one target go one at a time in order; nothing here ever
 * blocks or fails the swarm: a target that cannot be reached is reported (by its label, never its
 * URL) and skipped. `flush` waits, bounded, for what is in flight (the run's last notification).
 */
import type { SwarmEvent } from "../../coordination/base/events.js";
import {
  secretEntries,
  type Secret,
} from "../../coordination/base/secret-env.js";
import type { NotifyTarget } from "./config.js";
import { createNotifyMapper, type NotifyEvent } from "./notify-event.js";
import { shapeNotification } from "./payload.js";
import {
  DEFAULT_RETRY,
  sendNotification,
  type RetryPolicy,
  type SendResult,
} from "./send.js";

/** Options of a notifier. */
export interface NotifierOptions {
  targets: readonly NotifyTarget[];
  env: NodeJS.ProcessEnv;
  /** Where a command target runs (the repository). */
  cwd: string;
  runId?: string;
  budgetUsd?: number;
  retry?: RetryPolicy;
  /** Told of a delivery that failed for good, in words that hold no secret. */
  onProblem?: (message: string) => void;
}

interface Lane {
  target: NotifyTarget;
  label: string;
  url: string | undefined;
  tail: Promise<void>;
}

/** Sends the notifications of one run. */
export class Notifier {
  private readonly lanes: Lane[];
  private readonly map: (event: SwarmEvent) => NotifyEvent[];
  /** What is redacted from every body: the environment's secrets and every target's URL. */
  readonly secrets: (string | Secret)[];

  constructor(private readonly options: NotifierOptions) {
    this.lanes = options.targets.map((target, i) => ({
      target,
      label: target.name ?? `${target.kind} #${i + 1}`,
      url:
        target.urlEnv !== undefined ? options.env[target.urlEnv] : target.url,
      tail: Promise.resolve(),
    }));
    this.map = createNotifyMapper(options);
    this.secrets = [
      ...secretEntries(options.env),
      ...this.lanes.flatMap((l) => (l.url === undefined ? [] : [l.url])),
    ];
  }

  /** The targets' URLs: what the run's logs must redact too. */
  urls(): string[] {
    return this.lanes.flatMap((l) => (l.url === undefined ? [] : [l.url]));
  }

  /** Feeds one run event; returns at once. */
  onEvent(event: SwarmEvent): void {
    for (const notification of this.map(event)) this.send(notification);
  }

  /**
   * Queues `notification` for every target that wants its event; returns at once. Each target
   * gets it once (retried on transient failures, never sent twice after a success).
   */
  send(notification: NotifyEvent): Promise<SendResult[]> {
    const results = this.lanes
      .filter((lane) => lane.target.events.includes(notification.event))
      .map((lane) => {
        const result = lane.tail.then(() => this.deliver(lane, notification));
        lane.tail = result.then(() => undefined);
        return result;
      });
    return Promise.all(results);
  }

  /** Waits for queued deliveries, at most `timeoutMs`. */
  async flush(timeoutMs = 15_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.lanes.map((l) => l.tail)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  /** The label of each target, in order (for `gitswarm notify test`). */
  labels(): string[] {
    return this.lanes.map((l) => l.label);
  }

  private async deliver(
    lane: Lane,
    notification: NotifyEvent,
  ): Promise<SendResult> {
    if (lane.target.kind !== "command" && lane.url === undefined) {
      const problem = `${lane.target.urlEnv ?? "its URL variable"} is not set`;
      this.options.onProblem?.(`notify ${lane.label}: ${problem}`);
      return { ok: false, tries: 0, problem };
    }
    const delivery = shapeNotification(lane.target, notification, this.secrets);
    const result = await sendNotification(
      delivery,
      { url: lane.url, command: lane.target.command, cwd: this.options.cwd },
      this.options.retry ?? DEFAULT_RETRY,
    ).catch((error: Error): SendResult => ({
      ok: false,
      tries: 1,
      problem: error.name,
    }));
    if (!result.ok)
      this.options.onProblem?.(
        `notify ${lane.label}: ${notification.event} not delivered after ${result.tries} tries (${result.problem})`,
      );
    return result;
  }
}
