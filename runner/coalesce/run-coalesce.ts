/**
 * One coalescer run, claimed like a task: claim the recurring task `swarm-coalesce` (one coalescer
 * at a time across every runner on the hub; a stale holder is broken by the lease rules), reset its
 * own clone to the hub's main, detect, apply the deterministic fixes, make at most one gated code
 * cleanup, and end the claim: done (with or without a landed cleanup), or released without counting
 * a failure when the agent was rate-limited. Every write is one compare-and-swap on the hub, so a
 * coalescer killed at any point leaves nothing half-landed; its lock goes stale and is broken.
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
  finishTask,
  releaseTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import { sendHeartbeat } from "../../coordination/protocol/heartbeat.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { startHeartbeats } from "../agent/heartbeat-timer.js";
import type {
  CoalesceEmit,
  CoalesceEvent,
  CoalesceOptions,
  CoalesceResult,
} from "./coalesce-types.js";
import { coalesceHeld } from "./coalesce-held.js";
import {
  ignoreGitswarmDir,
  lockLocalCoalescer,
  prepareCoalesceWorkspace,
} from "./workspace.js";

/** The recurring system task every coalescer claims. */
export const COALESCE_TASK = "swarm-coalesce";

/** Runs the coalescer once. Throws UserError for a bad detector config (after releasing the claim). */
export async function coalesceOnce(
  options: CoalesceOptions,
): Promise<CoalesceResult> {
  const name = options.name ?? `coalescer-${randomBytes(3).toString("hex")}`;
  const signal = options.signal ?? new AbortController().signal;
  const emit = (
    phase: CoalesceEvent["phase"],
    detail: string,
    extra: Partial<CoalesceEvent> = {},
  ) =>
    options.onEvent?.({
      type: "coalesce",
      agent: name,
      phase,
      detail,
      ...extra,
    });
  if (path.resolve(options.home.dir) === path.resolve(options.repoDir))
    await ignoreGitswarmDir(options.home);
  const busy = (detail: string, holder?: string): CoalesceResult => {
    emit("busy", detail);
    return {
      outcome: "busy",
      agent: name,
      summary: `coalesce: not run: ${detail}`,
      archived: [],
      pruned: [],
      costUsd: 0,
      holder,
    };
  };
  // One coalescer per repo folder: its clone is shared, so a second one here stops before touching it.
  const unlock = await lockLocalCoalescer(options.repoDir);
  if (unlock === undefined)
    return busy(`another coalescer is running in ${options.repoDir}`);
  try {
    // The clone is ready before the claim, so the lease is not spent on cloning.
    const dir = path.join(
      options.repoDir,
      ".gitswarm",
      "workspaces",
      "coalescer",
    );
    const ws = await prepareCoalesceWorkspace(options.home, dir, name, signal);
    const claim = await claimCoalescer(options.home, name, options, signal);
    if (claim.outcome !== "won" && claim.outcome !== "resumed")
      return busy(
        claim.message,
        claim.outcome === "refused" && claim.reason === "held"
          ? claim.holder.agent
          : undefined,
      );
    return await runHeld(ws, claim.lock.claimId, name, options, signal, emit);
  } finally {
    await unlock();
  }
}

async function runHeld(
  ws: Workspace,
  claimId: string,
  name: string,
  options: CoalesceOptions,
  signal: AbortSignal,
  emit: CoalesceEmit,
): Promise<CoalesceResult> {
  const held: HeldClaim = {
    taskId: COALESCE_TASK,
    agent: name,
    claimId,
    signal,
  };
  emit("claimed", `claimed ${COALESCE_TASK}`);
  let heartbeats: { stop(last?: boolean): Promise<void> } | undefined;
  try {
    // A first sign of life at once: detection can outlast a short lease on a loaded machine.
    await sendHeartbeat(ws, held).catch(() => undefined);
    heartbeats = startHeartbeats(
      ws,
      held,
      Math.max(1000, options.config.lease / 3),
      () => undefined,
    );
    const result = await coalesceHeld(ws, held, options, signal, emit);
    await heartbeats.stop(false);
    heartbeats = undefined;
    const giveBack =
      result.cleanup?.outcome === "rate-limited" ||
      result.cleanup?.outcome === "stopped";
    if (giveBack)
      await releaseTask(ws, {
        ...held,
        reason: `coalesce: ${result.cleanup?.outcome}`,
      });
    else if (result.cleanup?.outcome !== "landed")
      await finishTask(ws, { ...held, summary: result.summary });
    const outcome = giveBack ? "released" : "done";
    // Its heartbeat branch only showed it alive, and its name is this run's alone: delete it.
    await ws.git.tryRun([
      "push",
      "--quiet",
      ws.remote,
      "--delete",
      `refs/heads/${workBranch(name, COALESCE_TASK)}`,
    ]);
    emit("end", result.summary, {
      costUsd: result.costUsd,
      ...(result.cleanup?.outcome === "landed"
        ? { commit: result.cleanup.commit }
        : {}),
    });
    return { ...result, outcome };
  } catch (error) {
    await heartbeats?.stop(false);
    // Give the task back so the next coalescer need not wait out the lease; the error still reports.
    await releaseTask(ws, {
      ...held,
      reason: `coalesce failed: ${(error as Error).message.split("\n")[0]}`,
    }).catch(() => undefined);
    throw error;
  }
}

async function claimCoalescer(
  home: Workspace,
  name: string,
  options: CoalesceOptions,
  signal: AbortSignal,
): Promise<ClaimResult> {
  const request = {
    taskId: COALESCE_TASK,
    agent: name,
    leaseMs: options.config.lease,
    recurring: true,
    signal,
    now: options.now,
  };
  const first = await claimTask(home, request);
  if (first.outcome !== "refused" || first.reason !== "held") return first;
  // A killed coalescer's lock: broken only when the lease rules say its holder is gone.
  const broken = await breakLock(home, {
    taskId: COALESCE_TASK,
    breaker: name,
    now: options.now,
    signal,
  });
  return broken.outcome === "broken" ? claimTask(home, request) : first;
}
