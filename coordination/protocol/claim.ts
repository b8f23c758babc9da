/**
 * The claim protocol: a compare-and-swap on the task's own ref on the hub.
 *
 *   fetch main + task refs → decide → commit the lock on the task ref's state we read → push
 *
 * The push (never forced) is accepted only if the task ref has not moved since we read it, so
 * git's atomic ref update on the hub is the only arbiter, across processes and machines; claims of
 * different tasks touch different refs and never contend. Main is not written. After a rejected
 * push we fetch and decide again from scratch: if someone else now holds or finished the task,
 * the claim is lost.
 *
 * The first read uses the clone's last fetch. That is safe for a "yes" (the push checks it); every
 * other answer — a refusal, and "you already hold it" — is confirmed on freshly fetched data
 * before it is reported, so a stale "mine" is never trusted.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { SwarmError } from "../base/errors.js";
import { backoffDelayMs, sleep } from "../git/backoff.js";
import {
  decideClaim,
  type ClaimRefusal,
  type RunnerSelf,
} from "./claim-decision.js";
import { runnerIdOf } from "../git/runner-id.js";
import { buildStateCommit } from "../git/commit-builder.js";
import { readTaskView } from "../state/hub-view.js";
import { lockPath, renderLock, type Lock } from "../state/lock-file.js";
import { pushRef } from "../git/push.js";
import { hubTaskRef } from "../git/task-refs.js";
import { renderCommitMessage } from "../git/trailers.js";
import {
  fetchMain,
  withWorkspaceLock,
  type Workspace,
} from "../git/workspace.js";

export interface ClaimRequest {
  taskId: string;
  agent: string;
  leaseMs: number;
  host?: string;
  /** The claiming runner's id; default: the clone's ({@link runnerIdOf}). Recorded in the lock. */
  runner?: string;
  /** A live process of this runner holds its claims (see `RunnerSelf.busy`): resume nothing. */
  runnerBusy?: string;
  /** Take over exactly this claim id even though another runner made it (`--resume`). */
  resumeClaim?: string;
  /** Which attempt at the task this is (1 for the first claim). */
  attempt?: number;
  /** Free text for the lock file body (the agent's plan). */
  plan?: string;
  /**
   * A recurring system task (id `swarm-…`, e.g. `swarm-coalesce`): not declared in PROGRESS.md,
   * claimable again after each done. Required for such ids, refused for any other.
   */
  recurring?: boolean;
  /** The work branch (default `swarm/<agent>/<task>`; a reopened blocked task gets a fresh one). */
  branch?: string;
  /** Extra front-matter fields for the lock (e.g. `gpus`), rendered after the standard ones. */
  extra?: Record<string, string | number>;
  /** Give up after this many rejected pushes (default 12). */
  maxRounds?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

/** `commit` is the lock commit on the task ref (the claim's fencing point and a work start). */
export type ClaimResult =
  | { outcome: "won"; lock: Lock; commit: string; rounds: number }
  | { outcome: "resumed"; lock: Lock; commit: string }
  | ({ outcome: "refused"; rounds: number } & ClaimRefusal)
  | { outcome: "contended"; rounds: number; message: string };

const DEFAULT_MAX_ROUNDS = 12;
/** Fresh reads that may still show a done/blocked marker newer than main before main is trusted. */
const MAX_STALE_READS = 3;

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
  const runner: RunnerSelf = {
    id: request.runner ?? ws.runner ?? (await runnerIdOf(ws.git)),
    host: request.host ?? os.hostname(),
    ...(request.runnerBusy === undefined ? {} : { busy: request.runnerBusy }),
    ...(request.resumeClaim === undefined
      ? {}
      : { resumeClaim: request.resumeClaim }),
  };
  let fresh = false;
  let staleReads = 0;
  for (let round = 0; ;) {
    const now = request.now?.() ?? new Date();
    const view = await readTaskView(ws, request.taskId, now);
    // A marker newer than main after several fresh reads: main itself was rewound; main decides.
    const taskRef =
      staleReads >= MAX_STALE_READS && view.taskRef
        ? { ...view.taskRef, markerInMain: undefined }
        : view.taskRef;
    const decision =
      view.tip === undefined && request.recurring !== true
        ? undefined
        : decideClaim({
            ...view,
            taskRef,
            taskId: request.taskId,
            agent: request.agent,
            runner,
            recurring: request.recurring,
          });
    if (decision === undefined && fresh) {
      throw new SwarmError(
        "no-hub-branch",
        `the hub '${ws.remote}' has no branch '${ws.branch}' (seen from ${ws.dir})`,
      );
    }
    if (decision === undefined || (decision.ok !== true && !fresh)) {
      await fetchMain(ws, request.signal);
      fresh = true;
      continue;
    }
    if (decision.ok === "stale") {
      staleReads += 1;
      await fetchMain(ws, request.signal);
      continue;
    }
    if (decision.ok === false)
      return { outcome: "refused", rounds: round, ...decision };
    const takeover =
      decision.ok === "mine" &&
      decision.lock.runner !== undefined &&
      decision.lock.runner !== runner.id
        ? decision.lock
        : undefined;
    if (decision.ok === "mine" && takeover === undefined)
      return {
        outcome: "resumed",
        lock: decision.lock,
        commit: view.taskRef?.commit as string,
      };

    // A takeover (`--resume CLAIM-ID` from another runner) is a new lock on top of the old one:
    // the old holder is fenced out, the work branch and attempt carry on.
    const made = newLock({ ...request, runner: runner.id }, now);
    const lock =
      takeover === undefined
        ? made
        : { ...made, attempt: takeover.attempt, branch: takeover.branch };
    const commit = await buildStateCommit(ws.git, {
      parent: decision.ok === true ? decision.parent : view.taskRef?.commit,
      path: lockPath(lock.task),
      content: renderLock(lock, request.extra),
      at: now,
      message: renderCommitMessage({
        action: "claim",
        subject:
          takeover === undefined
            ? `claim: ${lock.task} (${lock.agent})`
            : `claim: ${lock.task} (${lock.agent}, takes over claim ${takeover.claimId} of ${takeover.runner})`,
        task: lock.task,
        agent: lock.agent,
        claimId: lock.claimId,
        // The main it decided on: that its dependencies were done there can be checked later.
        extra: view.tip === undefined ? {} : { "Swarm-Base": view.tip },
      }),
    });
    const pushed = await pushRef(ws, commit, hubTaskRef(lock.task), {
      signal: request.signal,
    });
    round += 1;
    if (pushed.ok && takeover !== undefined)
      return { outcome: "resumed", lock, commit };
    if (pushed.ok) return { outcome: "won", lock, commit, rounds: round };
    if (round >= maxRounds) {
      return {
        outcome: "contended",
        rounds: round,
        message: `the task ref ${hubTaskRef(lock.task)} kept moving; gave up after ${round} pushes`,
      };
    }
    await sleep(backoffDelayMs(round), request.signal);
    await fetchMain(ws, request.signal);
    fresh = true;
  }
}

/** A new claim's lock: a fresh claim id (the fencing token) and a lease from now. */
export function newLock(
  request: ClaimRequest,
  now: Date = request.now?.() ?? new Date(),
): Lock {
  return {
    task: request.taskId,
    agent: request.agent,
    host: request.host ?? os.hostname(),
    ...(request.runner === undefined ? {} : { runner: request.runner }),
    claimId: randomBytes(8).toString("hex"),
    claimedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + request.leaseMs).toISOString(),
    branch: request.branch ?? workBranch(request.agent, request.taskId),
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

/**
 * The work branch of a blocked task's next attempt after a human reopened it: a new name
 * (`swarm/<agent>.r<N>/<task>`, N counting reopens), so the blocked attempt's branch stays as it
 * is, named in the task's notes, and the new attempt starts from main.
 */
export function reopenedWorkBranch(
  agent: string,
  taskId: string,
  blockedBranch: string | undefined,
): string {
  const round = /\.r(\d+)\/[^/]+$/.exec(blockedBranch ?? "")?.[1];
  const next = round === undefined ? 2 : Number(round) + 1;
  const [, owner = "agent"] =
    /^swarm\/([^/]+)\//.exec(workBranch(agent, taskId)) ?? [];
  return `swarm/${owner}.r${next}/${taskId}`;
}
