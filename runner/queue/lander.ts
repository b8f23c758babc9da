/**
 * The lander, claimed like a task: the recurring system task `swarm-land` makes it one per hub at a
 * time across every runner (a second runner's claim is refused as held; a dead lander's lock goes
 * stale by the lease rules and is broken by the next). Holding it, the lander takes turns
 * (land-cycle.ts) until the queue is empty, then gives the task back. It keeps nothing the hub
 * does not: a lander that dies mid-turn is resumed from the queue as the hub shows it.
 */
import { randomBytes } from "node:crypto";
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
import { startHeartbeats } from "../agent/heartbeat-timer.js";
import { prepareCoalesceWorkspace } from "../coalesce/workspace.js";
import { landTurn, type LanderContext } from "./land-cycle.js";

/** The recurring system task every lander claims. */
export const LAND_TASK = "swarm-land";

export interface LanderOptions {
  /** A clone of the hub (the runner's): claims go through it. */
  home: Workspace;
  /** The repository folder: the lander's clone is `.gitswarm/workspaces/lander` in it. */
  repoDir: string;
  name?: string;
  /** Loads the oracle config from the lander's clone (absent: the repo has no oracle). */
  loadOracle?: (dir: string) => Promise<OracleConfig | undefined>;
  limits: BatchLimits;
  maxAttempts: number;
  leaseMs: number;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
  /** The adaptive batch limit, kept across lander runs of one runner. */
  state?: { limit: number };
  now?: () => Date;
}

/** `busy`: another lander holds the queue; `drained`: the queue was emptied (or stopped). */
export type LanderEnd =
  { outcome: "busy"; holder?: string } | { outcome: "drained"; turns: number };

/** Claims `swarm-land` and lands until the queue is empty. */
export async function runLander(options: LanderOptions): Promise<LanderEnd> {
  const name = options.name ?? `lander-${randomBytes(3).toString("hex")}`;
  const { signal } = options;
  const dir = path.join(options.repoDir, ".gitswarm", "workspaces", "lander");
  const ws = await prepareCoalesceWorkspace(options.home, dir, name, signal);
  const claim = await claimLander(ws, name, options);
  if (claim.outcome !== "won" && claim.outcome !== "resumed")
    return {
      outcome: "busy",
      ...(claim.outcome === "refused" && claim.reason === "held"
        ? { holder: claim.holder.agent }
        : {}),
    };
  const held: HeldClaim = {
    taskId: LAND_TASK,
    agent: name,
    claimId: claim.lock.claimId,
    signal,
  };
  await sendHeartbeat(ws, held).catch(() => undefined);
  const heartbeats = startHeartbeats(
    ws,
    held,
    Math.max(500, Math.floor(options.leaseMs / 3)),
    () => undefined,
  );
  const ctx: LanderContext = {
    ws,
    name,
    oracle: await options.loadOracle?.(ws.dir),
    limits: options.limits,
    maxAttempts: options.maxAttempts,
    emit: options.emit,
    signal,
    state: options.state ?? { limit: options.limits.max },
  };
  let turns = 0;
  try {
    while (!signal.aborted && (await landTurn(ctx)) === "worked") turns += 1;
  } finally {
    await heartbeats.stop(false);
    // Stopped mid-turn, the lock stays until its lease runs out; otherwise the next lander need not wait.
    if (!signal.aborted)
      await releaseTask(ws, { ...held, reason: "the queue is empty" }).catch(
        () => undefined,
      );
    await ws.git.tryRun([
      "push",
      "--quiet",
      ws.remote,
      "--delete",
      `refs/heads/${workBranch(name, LAND_TASK)}`,
    ]);
  }
  return { outcome: "drained", turns };
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
