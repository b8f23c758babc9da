/**
 * Which task an agent should claim next. Pure: the same swarm state and agent always give the same
 * answer, so scheduling is tested with plain data.
 *
 * Rules, in order: the task is claimable (open, unheld, dependencies done); job tasks (`run:`) go
 * to command agents and only they take them; a tag that some agent in the swarm lists as a
 * capability is a requirement (tags nobody lists are labels); routing rules from config restrict a
 * tag to agent kinds or names; among what is left, document order is priority.
 */
import type { SwarmState, TaskState } from '../coordination/swarm-state.js';
import type { Task } from '../coordination/task.js';

export interface SchedulingAgent {
  name: string;
  kind: string;
  capabilities: readonly string[];
}

export interface SchedulingContext {
  /** Every capability any agent of the swarm declares. */
  swarmCapabilities: ReadonlySet<string>;
  /** tag → agent kinds or names allowed to take tasks with that tag. */
  routing: Readonly<Record<string, readonly string[]>>;
  /** Tasks this agent should not take now (e.g. it just failed them). */
  avoid?: ReadonlySet<string>;
}

/** Whether `agent` may ever work on `task` (ignoring whether it is claimable now). */
export function canTake(agent: SchedulingAgent, task: Task, context: SchedulingContext): boolean {
  const isJob = task.run !== undefined;
  if (isJob !== (agent.kind === 'command')) return false;
  for (const tag of task.tags) {
    if (context.swarmCapabilities.has(tag) && !agent.capabilities.includes(tag)) return false;
    const allowed = context.routing[tag];
    if (allowed !== undefined && !allowed.includes(agent.kind) && !allowed.includes(agent.name)) return false;
  }
  if (task.gpu !== undefined && task.gpu > 0 && !agent.capabilities.includes('gpu')) return false;
  return true;
}

/** The best claimable task for the agent, or undefined. */
export function pickTask(state: SwarmState, agent: SchedulingAgent, context: SchedulingContext): TaskState | undefined {
  const takeable = state.tasks.filter((t) => t.claimable && canTake(agent, t.task, context));
  return takeable.find((t) => !context.avoid?.has(t.task.id)) ?? takeable[0];
}

/** Whether anything is left that this agent could take, now or once dependencies and holders finish. */
export function hasWorkAhead(state: SwarmState, agent: SchedulingAgent, context: SchedulingContext): boolean {
  return state.tasks.some((t) => (t.status === 'open' || t.status === 'claimed') && canTake(agent, t.task, context));
}
