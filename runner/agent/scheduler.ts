/**
 * Which task an agent should claim next. Pure: the same swarm state and agent always give the same
 * answer, so scheduling is tested with plain data.
 *
 * Rules, in order: the task is claimable (open, unheld, dependencies done); job tasks (`run:`) go
 * to command agents, and a command agent without a command of its own takes only those; a tag that some agent in the swarm lists as a
 * capability is a requirement (tags nobody lists are labels); routing rules from config restrict a
 * tag to agent kinds or names; among what is left, document order is priority — spread by the
 * agent's slot in the run, so N agents take the first N tasks instead of all racing for the first
 * (each lost race costs a fetch and a push, and serialised every claim of a large swarm).
 */
import type {
  SwarmState,
  TaskState,
} from "../../coordination/protocol/swarm-state.js";
import type { Task } from "../../coordination/progress/task.js";

export interface SchedulingAgent {
  name: string;
  kind: string;
  capabilities: readonly string[];
  /** A `command` agent without a generic command of its own can only run job tasks. */
  jobsOnly?: boolean;
}

export interface SchedulingContext {
  /** Every capability any agent of the swarm declares. */
  swarmCapabilities: ReadonlySet<string>;
  /** tag → agent kinds or names allowed to take tasks with that tag. */
  routing: Readonly<Record<string, readonly string[]>>;
  /** Tasks this agent should not take now (e.g. it just failed them). */
  avoid?: ReadonlySet<string>;
  /** GPUs this host has for job tasks (command agents): a `gpu: N` job needs N ≤ this. */
  hostGpus?: number;
  /** This agent's place among the run's `of` agents: it takes the `index`-th claimable task. */
  slot?: { index: number; of: number };
}

/** Whether `agent` may ever work on `task` (ignoring whether it is claimable now). */
export function canTake(
  agent: SchedulingAgent,
  task: Task,
  context: SchedulingContext,
): boolean {
  if (
    task.run !== undefined ? agent.kind !== "command" : agent.jobsOnly === true
  )
    return false;
  for (const tag of task.tags) {
    if (context.swarmCapabilities.has(tag) && !agent.capabilities.includes(tag))
      return false;
    const allowed = context.routing[tag];
    if (
      allowed !== undefined &&
      !allowed.includes(agent.kind) &&
      !allowed.includes(agent.name)
    )
      return false;
  }
  if (task.gpu !== undefined && task.gpu > 0) {
    // A host that knows its GPUs decides by count; without an inventory, the `gpu` capability does.
    if (context.hostGpus !== undefined) return task.gpu <= context.hostGpus;
    if (!agent.capabilities.includes("gpu")) return false;
  }
  return true;
}

/** The best claimable task for the agent, or undefined. */
export function pickTask(
  state: SwarmState,
  agent: SchedulingAgent,
  context: SchedulingContext,
): TaskState | undefined {
  const takeable = state.tasks.filter(
    (t) => t.claimable && canTake(agent, t.task, context),
  );
  const fresh = takeable.filter((t) => !context.avoid?.has(t.task.id));
  const pool = fresh.length > 0 ? fresh : takeable;
  const slot = context.slot;
  if (slot === undefined || pool.length === 0) return pool[0];
  return pool[slot.index % Math.min(slot.of, pool.length)];
}

/**
 * Whether anything is left that this agent could take, now or once dependencies and holders
 * finish. A task behind a blocked dependency never becomes claimable, so it does not count.
 */
export function hasWorkAhead(
  state: SwarmState,
  agent: SchedulingAgent,
  context: SchedulingContext,
): boolean {
  const viable = viableTaskIds(state);
  return state.tasks.some(
    (t) => viable.has(t.task.id) && canTake(agent, t.task, context),
  );
}

/** Ids of open or claimed tasks whose dependencies are all done or themselves viable. */
export function viableTaskIds(state: SwarmState): Set<string> {
  const byId = new Map(state.tasks.map((t) => [t.task.id, t] as const));
  const memo = new Map<string, boolean>();
  const viable = (id: string, seen: Set<string>): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const t = byId.get(id);
    // Unknown ids are archived (done) tasks: validation rejects any other unknown dependency.
    if (t === undefined) return true;
    if (t.status === "done") return true;
    // A malformed task ref never expires: waiting on it would wedge the run (issue 19).
    if (t.status === "blocked" || t.malformed !== undefined || seen.has(id))
      return false;
    const result = t.task.needs.every((need) =>
      viable(need, new Set([...seen, id])),
    );
    memo.set(id, result);
    return result;
  };
  return new Set(
    state.tasks
      .filter((t) => t.status !== "done" && viable(t.task.id, new Set()))
      .map((t) => t.task.id),
  );
}
