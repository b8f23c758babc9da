/**
 * What a notification says: the run's events mapped to the few moments people ask to be told
 * about (a task blocked or done, the run finished or failed, 80 % of the budget spent), as plain
 * data. Pure: tested with plain events.
 */
import type { SwarmEvent } from "../../coordination/base/events.js";
import type { NotifyEventName } from "./config.js";

/** One notification, before it is shaped for a target. */
export interface NotifyEvent {
  event: NotifyEventName;
  /** One line for humans. */
  text: string;
  runId?: string;
  task?: string;
  time: string;
}

/** Watches the run's events and says which notifications they raise (budget-80 at most once). */
export function createNotifyMapper(options: {
  runId?: string;
  budgetUsd?: number;
}): (event: SwarmEvent) => NotifyEvent[] {
  let spent = 0;
  let budgetWarned = false;
  const at = (event: SwarmEvent, rest: Omit<NotifyEvent, "time" | "runId">) => [
    { ...rest, runId: options.runId, time: event.time },
  ];
  return (event) => {
    switch (event.type) {
      case "blocked":
        return at(event, {
          event: "task-blocked",
          task: event.task,
          text: `gitswarm: task ${event.task} is blocked and needs a human: ${event.reason}`,
        });
      case "done":
        return at(event, {
          event: "task-done",
          task: event.task,
          text: `gitswarm: task ${event.task} is done (${event.agent})`,
        });
      case "run-end":
        return at(event, {
          event: event.state === "failed" ? "run-failed" : "run-finished",
          text:
            event.state === "failed"
              ? `gitswarm: the run failed with tasks left (${event.tasksDone} done, $${event.costUsd.toFixed(2)})`
              : `gitswarm: the run ended (${event.state}): ${event.tasksDone} tasks done, $${event.costUsd.toFixed(2)}`,
        });
      case "model-call": {
        spent += event.costUsd;
        const budget = options.budgetUsd;
        if (budget === undefined || budgetWarned || spent < 0.8 * budget)
          return [];
        budgetWarned = true;
        return at(event, {
          event: "budget-80",
          text: `gitswarm: 80% of the $${budget} budget is spent ($${spent.toFixed(2)})`,
        });
      }
      default:
        return [];
    }
  };
}

/**
 * The run-failed notification of a run that died with an exception: no `run-end` event exists
 * to map, so the reason (the error's message) is said here.
 */
export function runCrashNotification(
  runId: string,
  reason: string,
  time: string,
): NotifyEvent {
  return {
    event: "run-failed",
    text: `gitswarm: the run failed: ${reason}`,
    runId,
    time,
  };
}
