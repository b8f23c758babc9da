/**
 * One agent's loop: sync → pick → claim → work on its branch with heartbeats → gate (rebase,
 * full oracle, ratchet) → the single fenced done-commit (gated again when main moved under it) →
 * next task. A failed attempt is released with its reason recorded on the task ref's marker (the
 * next attempt's prompt shows it); after `maxAttempts` the task is marked blocked. Runs inside an agent process
 * (runner/agent/agent-process.ts); reports through `emit`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { WorkOutcome } from "../../agents/types.js";
import type { HeldClaim } from "../../coordination/protocol/finish.js";
import { heldBySelf } from "../../coordination/protocol/lock-owner.js";
import type { Lock } from "../../coordination/state/lock-file.js";
import { checkoutWorkBranch } from "../../coordination/protocol/resume.js";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import type { Task } from "../../coordination/progress/task.js";
import { withWorkspaceLock } from "../../coordination/git/workspace.js";
import { sleep } from "../../coordination/git/backoff.js";
import { notesWithAttempts, previousFailure } from "./attempts.js";
import { startHeartbeats } from "./heartbeat-timer.js";
import { hasWorkAhead, pickTask, type SchedulingContext } from "./scheduler.js";
import type { Gpu } from "../jobs/gpu-inventory.js";
import { concludeJob, prepareJob } from "../jobs/job-host.js";
import { readLastMetrics } from "../jobs/job-metrics.js";
import { jobInfoTrailer } from "../jobs/job-status.js";
import { claimWithDevices, fail, reportTooBig } from "./attempt-claim.js";
import {
  endLanding,
  endStopped,
  failUnfinished,
  giveBackUncounted,
  type AttemptResult,
} from "./attempt-end.js";
import type { AgentLoopOptions } from "./agent-loop-options.js";
import { commitWork, strippedNote } from "./work-commit.js";
import { landWork } from "./work-landing.js";
import { waitWhilePaused } from "../control/pause-gate.js";
import { waitForQueueTick } from "../queue/queue-tick.js";
import { followParked } from "../gates/parked-follow.js";

/** Why an agent's loop ended; `auth`: its credentials were refused, so every task would fail alike. */
export type LoopEnd = "idle" | "stopped" | "budget" | "max-tasks" | "auth";

/** Runs until nothing is left for this agent, the budget is spent, or the signal aborts. */
export async function runAgentLoop(
  options: AgentLoopOptions,
): Promise<LoopEnd> {
  const { ws, me, emit, signal } = options;
  let done = 0;
  const avoid = new Set<string>();
  let crashNote = options.previousCrash;
  let waits = 0;
  const parked = new Map<string, { claimId: string; attempt: number }>();
  const scheduling: SchedulingContext =
    options.jobHost === undefined
      ? options.scheduling
      : {
          ...options.scheduling,
          hostGpus: options.jobHost.inventory.gpus.length,
        };
  while (!signal.aborted) {
    if (
      options.budgetPool !== undefined &&
      (await options.budgetPool.remaining()) <= 0
    )
      return "budget";
    if (options.maxTasks !== undefined && done >= options.maxTasks)
      return "max-tasks";
    // Read before the hub: a landing between the two then ends the wait below at once.
    const tick = await options.queueTick?.();
    const state = await readSwarmState(ws, { leases: false, signal });
    // Work this agent parked for a human, answered outside the run: the run hears it here.
    for (const event of followParked(parked, state, me.name)) emit(event);
    // Ours to resume: held by this agent of this runner (the same name on another host is another
    // agent, which the claim would refuse forever). A claim whose work waits in the merge queue is
    // the lander's to finish.
    const mine = state.tasks.find(
      (t) =>
        t.holder !== undefined &&
        heldBySelf(t.holder, me.name, ws.runner) &&
        t.queued === undefined,
    );
    // Paused (`gitswarm pause`): no new task. A claim it holds is its current step, and goes on.
    if (
      mine === undefined &&
      options.paused !== undefined &&
      (await waitWhilePaused(options.paused, signal, {
        onPause: () =>
          emit({ type: "agent-state", agent: me.name, state: "paused" }),
        onResume: () =>
          emit({ type: "agent-state", agent: me.name, state: "resumed" }),
      }))
    )
      continue; // the hub moved while it waited: look again before taking anything

    const pick = mine ?? pickTask(state, me, { ...scheduling, avoid });
    if (pick === undefined) {
      if (!hasWorkAhead(state, me, scheduling)) {
        reportTooBig(options, state.tasks);
        return "idle";
      }
      emit({ type: "agent-state", agent: me.name, state: "waiting" });
      // Waiting on the merge queue lasts a lander's batch: back off (1 to 4 polls) instead of every
      // idle agent fetching each second, which starved the lander on a small machine.
      // Work parked for a human's approval is not the lander's: waiting on it is a plain poll.
      const queued = state.tasks.some(
        (t) => t.queued !== undefined && t.queued.hold === undefined,
      );
      waits = queued ? Math.min(waits + 1, 4) : 1;
      const pollMs = options.idlePollMs ?? 1000;
      // With this run's lander's tick, a wait on the queue ends when it settles an entry; the hub
      // is still read every 8 polls for landers of other runners.
      if (queued && tick !== undefined && options.queueTick !== undefined)
        await waitForQueueTick(options.queueTick, tick, {
          maxMs: 8 * pollMs,
          pollMs: pollMs / 4,
          signal,
        });
      else await sleep(waits * pollMs, signal).catch(() => undefined);
      continue;
    }
    waits = 0;
    // GPUs are leased on this host before the claim: a claim never waits for a device.
    const held = await claimWithDevices(options, pick);
    if (held === undefined) continue;
    const { claim, devices, gpus, fresh } = held;
    // The lock commit lives on the task ref (a one-file tree); work starts from main.
    const start = `${ws.remote}/${ws.branch}`;
    let result: AttemptResult;
    try {
      result = await attemptTask(
        options,
        pick.task,
        claim.lock,
        start,
        crashNote ?? previousFailure(pick.task, pick.marker),
        gpus,
        fresh,
        claim.outcome === "resumed",
      );
    } catch (error) {
      // A stop that lands mid-step kills that step's git call: end the attempt as the stop asks
      // (a release-stop still gives the claim back).
      if (!signal.aborted) throw error;
      result = await endStopped(
        options,
        heldClaim(me.name, pick.task, claim.lock),
        0,
      );
    } finally {
      await devices.lease?.release();
    }
    crashNote = undefined;
    if (result.authFailed) return "auth";
    if (result.parked)
      parked.set(pick.task.id, {
        claimId: claim.lock.claimId,
        attempt: claim.lock.attempt,
      });
    if (result.done) done += 1;
    else avoid.add(pick.task.id);
    if (result.rateLimitedUntil !== undefined)
      await sleep(
        Math.max(0, Date.parse(result.rateLimitedUntil) - Date.now()),
        signal,
      ).catch(() => undefined);
  }
  return "stopped";
}

async function attemptTask(
  options: AgentLoopOptions,
  task: Task,
  lock: Lock,
  start: string,
  previousFailure: string | undefined,
  gpus: readonly Gpu[],
  fresh = false,
  resumed = false,
): Promise<AttemptResult> {
  const { ws, me, emit, signal } = options;
  const claim = heldClaim(me.name, task, lock);
  emit({
    type: "agent-state",
    agent: me.name,
    state: "working",
    task: task.id,
  });
  await checkoutWorkBranch(ws, lock, start, signal, fresh);
  const heartbeatMs = Math.max(500, Math.floor(options.leaseMs / 3));
  const job =
    options.jobHost !== undefined && task.run !== undefined
      ? await prepareJob(options.jobHost, task, gpus, ws)
      : undefined;
  const heartbeats = startHeartbeats(
    ws,
    claim,
    heartbeatMs,
    emit,
    job && (() => readLastMetrics(job.paths.metricsFile)),
    job &&
      jobInfoTrailer(job.paths.runId, gpus, job.spec.timeLimitMs, new Date()),
    // A resumed claim is renewed at once, its work branch checked out: a beat before the checkout
    // would snapshot the wrong tree.
    resumed ? 0 : heartbeatMs,
  );
  let outcome: WorkOutcome;
  let finished = false;
  try {
    outcome = await options.agent.work({
      workspaceDir: ws.dir,
      task: {
        id: task.id,
        title: task.title,
        notes: notesWithAttempts(task, lock.attempt, previousFailure),
        needs: task.needs,
        tags: task.tags,
        run: task.run,
      },
      context: {
        design: await readOptional(path.join(ws.dir, "DESIGN.md")),
        previousFailure,
      },
      budget: {
        taskUsd: options.taskBudgetUsd,
        pool: options.budgetPool,
      },
      ...(job ? { job: job.runtime } : {}),
      signal,
    });
    finished = outcome.kind === "finished";
  } finally {
    // Finished work bound for the merge queue skips the last beat: the enqueue a few steps on
    // pushes the work itself (and the gate beats on its timer if it runs long). The beat was a
    // fetch and a push per task, a quarter of an 8-agent queue run's per-task time on 2 cores.
    await heartbeats.stop(!(finished && options.queue && job === undefined));
  }
  if (signal.aborted) return endStopped(options, claim, outcome.usage.costUsd);
  const givenBack = await giveBackUncounted(options, claim, outcome);
  if (givenBack !== undefined) return givenBack;
  if (outcome.kind !== "finished")
    return failUnfinished(options, claim, lock, outcome);
  const costUsd = outcome.usage.costUsd;
  const conclusion = job
    ? await concludeJob(job, task.id, ws.dir)
    : { ok: true as const, result: undefined };
  if (!conclusion.ok)
    return fail(options, claim, lock, conclusion.reason, costUsd);
  // Under the workspace lock: a late heartbeat snapshot must not interleave with the commit.
  const work = await withWorkspaceLock(ws, () =>
    commitWork(ws, task.id, me.name),
  );
  const end = await landWork(ws, {
    task,
    claim,
    // The done-commit says what was stripped from the agent's .gitattributes.
    summary: [outcome.summary, strippedNote(work.stripped)]
      .filter((part) => part !== "")
      .join("\n\n"),
    result: conclusion.result,
    oracle: options.oracle,
    gates: options.gates,
    review: {
      authorKind: me.kind,
      attempt: lock.attempt,
      reviewers: options.reviewers,
      pool: options.budgetPool,
    },
    queue: options.queue,
    heartbeatMs,
    emit,
    signal,
  });
  return endLanding(options, { task, claim, lock, costUsd }, end, {
    summary: outcome.summary,
    result: conclusion.result,
    heartbeatMs,
    costUsd,
  });
}

function heldClaim(agent: string, task: Task, lock: Lock): HeldClaim {
  return { taskId: task.id, agent, claimId: lock.claimId };
}

async function readOptional(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch(() => undefined);
}
