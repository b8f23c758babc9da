/**
 * The loop writes of main alone share (PROGRESS.md edits synced by the runner): fetch, read, decide
 * and build a commit on the tip just read, push; on a rejected push back off and start over. Ends
 * of claims write a task ref too and use coordination/protocol/task-update.ts instead.
 */
import { backoffDelayMs, sleep } from "../git/backoff.js";
import { readMainView, readTaskView, type HubView } from "../state/hub-view.js";
import { pushToMain } from "../git/push.js";
import {
  fetchMain,
  withWorkspaceLock,
  type Workspace,
} from "../git/workspace.js";
import { SwarmError } from "../base/errors.js";

/** What one round decided: a commit to push, or a final answer without writing anything. */
export type RoundStep<T> =
  { push: string; onLanded: (commit: string) => T } | { stop: T };

// Generous: these writes end a claim whose work is done, and giving up strands a lock. A finish
// round runs ~10 git processes; on a loaded machine (load 36 on 2 cores) with eight agents and a
// human pushing, the soak test saw one lose 60 rounds in a row while shorter writes kept landing.
const MAX_ROUNDS = 200;

/**
 * Runs rounds until a push lands or a round stops; throws if the hub stays contended. With a
 * `taskId` the view carries that task's lock (`view.locks[0]`); without, no locks are read.
 */
export function updateMain<T>(
  ws: Workspace,
  taskId: string | undefined,
  round: (view: HubView & { tip: string }) => Promise<RoundStep<T>>,
  signal?: AbortSignal,
): Promise<T> {
  return withWorkspaceLock(ws, async () => {
    for (let attempt = 0; attempt < MAX_ROUNDS; attempt += 1) {
      if (attempt > 0) await sleep(backoffDelayMs(attempt), signal);
      await fetchMain(ws, signal);
      const view =
        taskId === undefined
          ? await readMainView(ws)
          : await readTaskView(ws, taskId);
      if (view.tip === undefined)
        throw new SwarmError(
          "no-hub-branch",
          `the hub has no branch '${ws.branch}'`,
        );
      const step = await round({ ...view, tip: view.tip });
      if ("stop" in step) return step.stop;
      const pushed = await pushToMain(ws, step.push, signal);
      if (pushed.ok) return step.onLanded(step.push);
    }
    throw new SwarmError(
      "hub-contended",
      `the hub's main kept moving; gave up after ${MAX_ROUNDS} pushes. Try again.`,
    );
  });
}
