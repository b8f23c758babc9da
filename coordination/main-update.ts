/**
 * The loop every write to the hub's main shares (release, done, block, break): fetch, read, decide
 * and build a commit on the tip just read, push; on a rejected push back off and start over.
 * Deciding from freshly fetched data every round is what makes fencing hold.
 */
import { backoffDelayMs, sleep } from './backoff.js';
import { readMainView, readTaskView, type HubView } from './hub-view.js';
import { pushToMain } from './push.js';
import { fetchMain, withWorkspaceLock, type Workspace } from './workspace.js';
import { SwarmError } from '../runner/errors.js';

/** What one round decided: a commit to push, or a final answer without writing anything. */
export type RoundStep<T> = { push: string; onLanded: (commit: string) => T } | { stop: T };

// Generous: these writes end a claim whose work is done. With eight agents and a human pushing,
// one writer can lose a dozen rounds in a row (the soak test saw it); giving up then strands a lock.
const MAX_ROUNDS = 60;

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
      const view = taskId === undefined ? await readMainView(ws) : await readTaskView(ws, taskId);
      if (view.tip === undefined) throw new SwarmError('no-hub-branch', `the hub has no branch '${ws.branch}'`);
      const step = await round({ ...view, tip: view.tip });
      if ('stop' in step) return step.stop;
      const pushed = await pushToMain(ws, step.push, signal);
      if (pushed.ok) return step.onLanded(step.push);
    }
    throw new SwarmError('hub-contended', `the hub's main kept moving; gave up after ${MAX_ROUNDS} pushes. Try again.`);
  });
}
