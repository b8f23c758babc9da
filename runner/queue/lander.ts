/**
 * The lander, claimed like a task: the recurring system task `swarm-land` makes it one per hub at a
 * time across every runner (a second runner's claim is refused as held; a dead lander's lock goes
 * stale by the lease rules and is broken by the next). Holding it, the lander takes turns
 * (land-cycle.ts) until the queue is empty, then gives the task back. It keeps nothing the hub
 * does not: a lander that dies mid-turn is resumed from the queue as the hub shows it. It heartbeats
 * its lease like any holder (lander-lease.ts) and stops when the lease is lost; one lander per repo
 * folder uses the clone `.gitswarm/workspaces/lander` (lander-lock.ts).
 */
import path from "node:path";
import { breakLock } from "../../coordination/protocol/break-lock.js";
import {
  claimTask,
  workBranch,
  type ClaimResult,
} from "../../coordination/protocol/claim.js";
import {
  releaseTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import { sendHeartbeat } from "../../coordination/protocol/heartbeat.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { EventInput } from "../../coordination/base/events.js";
import type { BatchLimits } from "../../coordination/queue/plan.js";
import type { OracleConfig } from "../../oracle/index.js";
import { prepareCoalesceWorkspace } from "../coalesce/workspace.js";
import {
  landTurn,
  type LanderContext,
  type LanderState,
} from "./land-cycle.js";
import type { Arrivals } from "./hub-arrivals.js";
import { keepLanderLease } from "./lander-lease.js";
import { lockLocalLander } from "./lander-lock.js";

/** The recurring system task every lander claims. */
export const LAND_TASK = "swarm-land";

export interface LanderOptions {
  /** A clone of the hub (the runner's): claims go through it. */
  home: Workspace;
  /** The repository folder: the lander's clone is `.gitswarm/workspaces/lander` in it. */
  repoDir: string;
  /**
   * The lander's agent name (default `lander`): stable, so a lander restarted in the same folder
   * (same clone, same runner id) resumes its own claim instead of waiting out its lease.
   */
  name?: string;
  /** Loads the oracle config from the lander's clone (absent: the repo has no oracle). */
  loadOracle?: (dir: string) => Promise<OracleConfig | undefined>;
  limits: BatchLimits;
  /** Gate the entries behind a batch at the same time, on top of it (`queue.speculate`). */
  speculate?: boolean;
  /** Resolves true once this runner's agents enqueued after `since`, false once `until` aborts (late speculation). */
  arrivals?: Arrivals;
  /** How often to look at the hub for entries enqueued elsewhere while a batch is gated (`queue.poll`). */
  pollMs?: number;
  maxAttempts: number;
  leaseMs: number;
  /** Claim ids held live in this process: the lander's is in it while it lands. */
  liveClaims?: Set<string>;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
  /**
   * Called when the queue is empty, or holds fewer than `limits.min` for `lingerMs` more: resolves
   * true when more may have come or the linger is over (look again), false to give the lease
   * back. Absent: the lander drains the queue at once and ends when it is empty (`gitswarm land`).
   */
  idle?: (lingerMs?: number) => Promise<boolean>;
  /** The adaptive batch limit, kept across lander runs of one runner (see LanderContext). */
  state?: LanderState;
  now?: () => Date;
}

/**
 * `busy`: another lander holds the queue (`holder`), or this folder's clone (`local`); `drained`:
 * the queue was emptied, or the lander stopped (asked to, or its lease was lost).
 */
export type LanderEnd =
  | { outcome: "busy"; holder?: string; local?: true }
  | { outcome: "drained"; turns: number; lost?: string };

/** Claims `swarm-land` and lands until the queue is empty. */
export async function runLander(options: LanderOptions): Promise<LanderEnd> {
  const local = await lockLocalLander(options.repoDir);
  if (local === undefined) return { outcome: "busy", local: true };
  try {
    return await landHeld(options, local.lost);
  } finally {
    await local.release();
  }
}

async function landHeld(
  options: LanderOptions,
  localLost: AbortSignal,
): Promise<LanderEnd> {
  const name = options.name ?? "lander";
  const dir = path.join(options.repoDir, ".gitswarm", "workspaces", "lander");
  const ws = await prepareCoalesceWorkspace(
    options.home,
    dir,
    name,
    options.signal,
  );
  const claim = await claimLander(ws, name, options);
  if (claim.outcome !== "won" && claim.outcome !== "resumed")
    return {
      outcome: "busy",
      ...(claim.outcome === "refused" && claim.reason === "held"
        ? { holder: claim.holder.agent }
        : {}),
    };
  // Stops at the next step when asked, when the lease is lost, or when the folder's lock is.
  const lost = new AbortController();
  let lostReason: string | undefined;
  const signal = AbortSignal.any([options.signal, lost.signal, localLost]);
  const held: HeldClaim = {
    taskId: LAND_TASK,
    agent: name,
    claimId: claim.lock.claimId,
    signal: options.signal,
  };
  options.liveClaims?.add(held.claimId);
  await sendHeartbeat(ws, { ...held, leaseOnly: true }).catch(() => undefined);
  const lease = keepLanderLease(
    ws,
    held,
    Math.max(500, Math.floor(options.leaseMs / 3)),
    options.emit,
    (message) => {
      lostReason = message;
      lost.abort();
    },
  );
  const ctx: LanderContext = {
    ws,
    name,
    oracle: await options.loadOracle?.(ws.dir),
    limits: options.limits,
    speculate: options.speculate,
    arrivals: options.arrivals,
    pollMs: options.pollMs,
    maxAttempts: options.maxAttempts,
    emit: options.emit,
    signal,
    state: options.state ?? {
      limit: options.limits.max,
      drain: options.idle === undefined,
    },
  };
  let turns = 0;
  try {
    while (!signal.aborted) {
      const turn = await landTurn(ctx);
      if (turn === "worked") turns += 1;
      else if (
        options.idle === undefined ||
        !(await options.idle(turn === "empty" ? undefined : turn.lingerMs))
      )
        break;
    }
  } finally {
    await lease.stop();
    options.liveClaims?.delete(held.claimId);
    // Stopped mid-turn, the lock stays until its lease runs out; otherwise the next lander need not
    // wait. The heartbeat branch goes first: once released, it may be the next lander's.
    if (!signal.aborted) {
      await ws.git.tryRun([
        "push",
        "--quiet",
        ws.remote,
        "--delete",
        `refs/heads/${workBranch(name, LAND_TASK)}`,
      ]);
      await releaseTask(ws, { ...held, reason: "the queue is empty" }).catch(
        () => undefined,
      );
    }
  }
  return {
    outcome: "drained",
    turns,
    ...(lostReason === undefined ? {} : { lost: lostReason }),
  };
}

async function claimLander(
  ws: Workspace,
  name: string,
  options: LanderOptions,
): Promise<ClaimResult> {
  const request = {
    taskId: LAND_TASK,
    agent: name,
    leaseMs: options.leaseMs,
    recurring: true,
    signal: options.signal,
    now: options.now,
  };
  const first = await claimTask(ws, request);
  if (first.outcome !== "refused" || first.reason !== "held") return first;
  // A dead lander's lock: broken only when the lease rules say its holder is gone.
  const broken = await breakLock(ws, {
    taskId: LAND_TASK,
    breaker: name,
    now: options.now,
    signal: options.signal,
  });
  return broken.outcome === "broken" ? claimTask(ws, request) : first;
}
