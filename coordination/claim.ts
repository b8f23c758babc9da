/**
 * The claim protocol: a compare-and-swap on the hub's main branch.
 *
 *   read the hub → decide → commit the lock on the tip we read → push
 *
 * A push is accepted only if main has not moved since we read it, so git's atomic ref update on the
 * hub is the only arbiter, across processes and machines. After a rejected push we fetch and decide
 * again from scratch: if someone else now holds or finished the task, the claim is lost.
 *
 * The first read uses the clone's last fetch. That is safe both ways: a stale "yes" is checked by
 * the push itself, and a stale "no" is confirmed on freshly fetched data before it is reported.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { SwarmError } from "./base/errors.js";
import { backoffDelayMs, sleep } from "./backoff.js";
import { decideClaim, type ClaimRefusal } from "./claim-decision.js";
import { buildCommit } from "./commit-builder.js";
import { readTaskView } from "./hub-view.js";
import { lockPath, renderLock, type Lock } from "./lock-file.js";
import { pushToMain } from "./push.js";
import { renderCommitMessage } from "./trailers.js";
import { fetchMain, withWorkspaceLock, type Workspace } from "./workspace.js";

export interface ClaimRequest {
  taskId: string;
  agent: string;
  leaseMs: number;
  host?: string;
  /** Which attempt at the task this is (1 for the first claim). */
  attempt?: number;
  /** Free text for the lock file body (the agent's plan). */
  plan?: string;
  /** Give up after this many rejected pushes (default 12). */
  maxRounds?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export type ClaimResult =
  | { outcome: "won"; lock: Lock; commit: string; rounds: number }
  | { outcome: "resumed"; lock: Lock }
  | ({ outcome: "refused"; rounds: number } & ClaimRefusal)
  | { outcome: "contended"; rounds: number; message: string };

const DEFAULT_MAX_ROUNDS = 12;

/** Claims a task from a clone. Never throws for a lost race: see `ClaimResult`. */
export function claimTask(
  ws: Workspace,
  request: ClaimRequest,
): Promise<ClaimResult> {
  return withWorkspaceLock(ws, () => claimLoop(ws, request));
}

async function claimLoop(
  ws: Workspace,
  request: ClaimRequest,
): Promise<ClaimResult> {
  const maxRounds = request.maxRounds ?? DEFAULT_MAX_ROUNDS;
  let fresh = false;
  for (let round = 0; ;) {
    const view = await readTaskView(ws, request.taskId);
    const decision =
      view.tip === undefined
        ? undefined
        : decideClaim({
            ...view,
            lock: view.locks[0],
            taskId: request.taskId,
            agent: request.agent,
          });
    if (decision === undefined && fresh) {
      throw new SwarmError(
        "no-hub-branch",
        `the hub '${ws.remote}' has no branch '${ws.branch}' (seen from ${ws.dir})`,
      );
    }
    if (decision === undefined || (decision.ok === false && !fresh)) {
      await fetchMain(ws, request.signal);
      fresh = true;
      continue;
    }
    if (decision.ok === false)
      return { outcome: "refused", rounds: round, ...decision };
    if (decision.ok === "mine")
      return { outcome: "resumed", lock: decision.lock };

    const lock = newLock(request);
    const commit = await buildCommit(ws.git, {
      base: view.tip as string,
      parents: [view.tip as string],
      changes: [{ path: lockPath(lock.task), content: renderLock(lock) }],
      message: renderCommitMessage({
        action: "claim",
        subject: `claim: ${lock.task} (${lock.agent})`,
        task: lock.task,
        agent: lock.agent,
        claimId: lock.claimId,
      }),
    });
    const pushed = await pushToMain(ws, commit, request.signal);
    round += 1;
    if (pushed.ok) return { outcome: "won", lock, commit, rounds: round };
    if (round >= maxRounds) {
      return {
        outcome: "contended",
        rounds: round,
        message: `the hub's main kept moving; gave up after ${round} pushes`,
      };
    }
    await sleep(backoffDelayMs(round), request.signal);
    await fetchMain(ws, request.signal);
    fresh = true;
  }
}

/** A new claim's lock: a fresh claim id (the fencing token) and a lease from now. */
export function newLock(request: ClaimRequest): Lock {
  const now = request.now?.() ?? new Date();
  return {
    task: request.taskId,
    agent: request.agent,
    host: request.host ?? os.hostname(),
    claimId: randomBytes(8).toString("hex"),
    claimedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + request.leaseMs).toISOString(),
    branch: workBranch(request.agent, request.taskId),
    attempt: request.attempt ?? 1,
    plan: request.plan ?? "",
  };
}

/** The branch an agent works a task on; its pushes are the lock's heartbeats. */
export function workBranch(agent: string, taskId: string): string {
  const safeAgent =
    agent.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[.-]+/, "") || "agent";
  return `swarm/${safeAgent}/${taskId}`;
}
