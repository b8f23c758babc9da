/**
 * The limits of a run, watched on its events: `--budget` (the run's spend) and `--max-tasks` (tasks
 * done) end the run when reached (the budget through the pool each agent draws on, max-tasks by
 * stopping every agent); and the demo's deliberate crash of one agent mid-task.
 */
import type { EventLog, RunEndState } from "../../coordination/base/events.js";
import type { AgentSupervisor } from "./agent-supervisor.js";

/** Stops the swarm when the budget is spent or enough tasks are done; runs the demo's crash. */
export function watchLimits(
  log: EventLog,
  supervisor: AgentSupervisor,
  options: { budgetUsd?: number; maxTasks?: number; crashAgent?: string },
) {
  let spent = 0;
  let done = 0;
  let reason: RunEndState | undefined;
  let crashed = false;
  log.onEvent((event) => {
    if (event.type === "model-call") spent += event.costUsd;
    if (event.type === "done") done += 1;
    if (
      reason === undefined &&
      options.budgetUsd !== undefined &&
      spent >= options.budgetUsd
    )
      reason = "budget";
    if (
      reason === undefined &&
      options.maxTasks !== undefined &&
      done >= options.maxTasks
    )
      reason = "max-tasks";
    // A spent budget stops each agent through the pool, before its next call: work already paid
    // for (a CLI run's cost arrives as it ends) still lands instead of being stopped mid-task.
    if (
      reason === "max-tasks" &&
      (event.type === "model-call" || event.type === "done")
    )
      supervisor.stopAll();
    // Killed right after its first heartbeat mid-task: its work is on the hub, so the recovery
    // (lease expiry, break, the next claimer resuming its branch) has something to resume.
    if (
      !crashed &&
      event.type === "heartbeat" &&
      event.ok &&
      event.agent === options.crashAgent
    ) {
      crashed = true;
      supervisor.kill(
        event.agent,
        "the demo SIGKILLs it mid-task to show recovery: its lease runs out, the lock is broken and the next claimer resumes its branch",
      );
    }
  });
  return { spent: () => spent, reason: () => reason };
}
