/**
 * The loop every write to a task ref shares (release, done, block, break): fetch main and the task
 * refs, read, decide and build commits on the states just read, push them (several refs in one
 * atomic push); on a rejected push back off and start over. Deciding from freshly fetched data
 * every round, and pushing with the task ref's read value as the expected old value, is what makes
 * fencing hold: the hub itself refuses a write whose lock was broken or re-claimed meanwhile.
 */
import { SwarmError } from "../base/errors.js";
import { backoffDelayMs, sleep } from "../git/backoff.js";
import {
  readTaskView,
  type HubView,
  type TaskRefState,
} from "../state/hub-view.js";
import { pushAtomic, type RefUpdate } from "../git/push.js";
import {
  fetchMain,
  withWorkspaceLock,
  type Workspace,
} from "../git/workspace.js";

/** What one round decided: refs to move (all or none), or a final answer without writing anything. */
export type TaskStep<T> =
  { push: RefUpdate[]; onLanded: () => T } | { stop: T };

/** The view one round decides on: main (tip known) and the task's ref. */
export type TaskRoundView = HubView & {
  tip: string;
  taskRef: TaskRefState | undefined;
};

// Generous: these writes end a claim whose work is done, and giving up strands a lock. A finish
// round runs ~10 git processes; under heavy load main keeps moving while a long round is built.
const MAX_ROUNDS = 200;

/** Runs rounds until a push lands or a round stops; throws if the hub stays contended. */
export function updateTask<T>(
  ws: Workspace,
  taskId: string,
  round: (view: TaskRoundView, now: Date) => Promise<TaskStep<T>>,
  signal?: AbortSignal,
): Promise<T> {
  return withWorkspaceLock(ws, async () => {
    for (let attempt = 0; attempt < MAX_ROUNDS; attempt += 1) {
      if (attempt > 0) await sleep(backoffDelayMs(attempt), signal);
      await fetchMain(ws, signal);
      const now = new Date();
      const view = await readTaskView(ws, taskId, now);
      if (view.tip === undefined)
        throw new SwarmError(
          "no-hub-branch",
          `the hub has no branch '${ws.branch}'`,
        );
      const step = await round(
        { ...view, tip: view.tip, taskRef: view.taskRef },
        now,
      );
      if ("stop" in step) return step.stop;
      const pushed = await pushAtomic(ws, step.push, { signal });
      if (pushed.ok) return step.onLanded();
    }
    throw new SwarmError(
      "hub-contended",
      `the hub's refs kept moving; gave up after ${MAX_ROUNDS} pushes. Try again.`,
    );
  });
}
