/**
 * The end of `gitswarm run`: the tasks as the hub has them now, how the run ended, its exit code
 * and the `run-end` event; and, when no task was done, why (see nothing-done.ts).
 */
import type { Workspace } from "../../../coordination/git/workspace.js";
import type {
  EventLog,
  RunEndState,
} from "../../../coordination/base/events.js";
import { readSwarmState } from "../../../coordination/protocol/swarm-state.js";
import type { SlotState } from "../process/supervisor-types.js";
import { runExitCode, type RunExitCode } from "../run-exit-code.js";
import { whyNothingDone, type AttemptWatch } from "./nothing-done.js";

/** The run's tasks at its end, for the summary and the exit code. */
export interface RunTasks {
  done: number;
  total: number;
  blocked: string[];
  /** Open or claimed by this runner: left undone (the unrunnable ones included). */
  open: string[];
  /** Open tasks no agent of this run could ever run here, with why. */
  unschedulable: { task: string; reason: string }[];
  /** Why nothing was done, one reason a line; empty when some task was done. */
  nothingDone: string[];
}

/** What the run knows when its agents have stopped. */
export interface RunEndInput {
  runnerWs: Workspace;
  runnerId: string;
  log: EventLog;
  signal: AbortSignal;
  /** Why the hub was lost, when it was (the run then failed). */
  outage: string | undefined;
  limits: { reason(): RunEndState | undefined; spent(): number };
  budgetUsd?: number;
  maxTasks?: number;
  doneAtStart: number;
  agents: ReadonlyMap<string, SlotState>;
  attempts: AttemptWatch;
}

/** Reads the final state, decides the end state and exit code, and logs `run-end`. */
export async function endRun(
  input: RunEndInput,
): Promise<{ state: RunEndState; exitCode: RunExitCode; tasks: RunTasks }> {
  const final = await readSwarmState(input.runnerWs, { leases: false });
  const mine = (holder: { runner?: string } | undefined) =>
    (holder?.runner ?? input.runnerId) === input.runnerId;
  const openTasks = final.tasks.filter(
    (t) => t.status === "open" || t.status === "claimed",
  );
  const open = new Set(openTasks.map((t) => t.task.id));
  const tasks: RunTasks = {
    done: final.tasks.filter((t) => t.status === "done").length,
    total: final.tasks.length,
    blocked: final.tasks
      .filter((t) => t.status === "blocked")
      .map((t) => t.task.id),
    // A task another runner of the fleet holds is its share, not left undone by this run.
    open: openTasks.filter((t) => mine(t.holder)).map((t) => t.task.id),
    unschedulable: input.attempts
      .unschedulable()
      .filter((u) => open.has(u.task)),
    nothingDone: [],
  };
  const limit = input.limits.reason();
  const state: RunEndState = input.signal.aborted
    ? "stopped"
    : input.outage !== undefined
      ? "failed"
      : (limit ?? (tasks.open.length === 0 ? "finished" : "failed"));
  tasks.nothingDone = whyNothingDone({
    total: tasks.total,
    doneAtStart: input.doneAtStart,
    doneAtEnd: tasks.done,
    blocked: tasks.blocked,
    waiting: openTasks
      .filter((t) => t.status === "open" && t.waitingOn.length > 0)
      .map((t) => ({ task: t.task.id, on: t.waitingOn })),
    heldElsewhere: openTasks
      .filter((t) => t.holder !== undefined && !mine(t.holder))
      .map((t) => ({
        task: t.task.id,
        holder: `${t.holder?.agent} on ${t.holder?.runner}`,
      })),
    unschedulable: tasks.unschedulable,
    agentEnds: [...input.agents].map(([name, s]) => ({ name, state: s })),
    claims: input.attempts.claims(),
    failures: input.attempts.failures(),
    ...(limit === "budget"
      ? { limit: { kind: "budget", value: input.budgetUsd } }
      : limit === "max-tasks"
        ? { limit: { kind: "max-tasks", value: input.maxTasks } }
        : {}),
    stopped: input.signal.aborted,
    ...(input.outage !== undefined ? { outage: input.outage } : {}),
  });
  const exitCode = runExitCode(state, tasks, input.signal.reason);
  input.log.emit({
    type: "run-end",
    state,
    tasksDone: tasks.done,
    costUsd: input.limits.spent(),
    exitCode,
    ...(tasks.nothingDone.length > 0 ? { nothingDone: tasks.nothingDone } : {}),
  });
  return { state, exitCode, tasks };
}
