/**
 * `gitswarm run`: the swarm from start to finish. Sets up the hub and one clone per agent, starts
 * the agent processes under the supervisor, keeps PROGRESS.md in step with the human, breaks stale
 * locks, enforces budget and task limits, stops cleanly on abort, and at the end brings the results
 * to the user's checkout.
 */
import path from "node:path";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import { trackingRef } from "../../coordination/git/workspace.js";
import { Git } from "../../coordination/git/git.js";
import type { AgentJob, ReviewerSpec } from "../agent/agent-job.js";
import {
  checkReviewConfig,
  gateFacts,
  reviewerSpecs,
} from "../gates/reviewer-specs.js";
import type { RosterEntry } from "./agent-roster.js";
import { AgentSupervisor } from "./agent-supervisor.js";
import type { SlotState } from "./process/supervisor-types.js";
import type { SwarmConfig } from "../config.js";
import { parseDuration } from "../../coordination/base/duration.js";
import {
  EventLog,
  runsDir,
  type RunEndState,
  type SwarmEvent,
} from "../../coordination/base/events.js";
import { createRunCoalesceAgent } from "../coalesce/agent.js";
import { startCoalesceSchedule } from "../coalesce/schedule.js";
import { startLanderSchedule } from "../queue/schedule.js";
import { loadOracleConfig } from "../../oracle/index.js";
import { startRunnerDuties } from "../fleet/hub-duties.js";
import { shareHubConnection } from "../fleet/hub-mux.js";
import { locateHub } from "../hub-location.js";
import { ProgressSync } from "./checkout/progress-sync.js";
import { setupSwarm } from "./swarm-setup.js";
import { bringResultsHome, type HomeResult } from "./checkout/user-checkout.js";
import { SwarmError } from "../../coordination/base/errors.js";
import { lockRun } from "./run-lock.js";
import { jobFor } from "./start/agent-jobs.js";
import { AgentLogBook } from "../logs/agent-log-book.js";
import { configuredGateNames } from "../gates/gate-plan.js";
import { watchLimits } from "./run-limits.js";
import { startRunNotifier } from "../notify/run-notifier.js";
import type { Notifier } from "../notify/notifier.js";
import { notifyRunCrash } from "./end/run-crash.js";
import { watchRunHub } from "./hub-watch.js";
import type { RunExitCode } from "./run-exit-code.js";
import { endRun, type RunTasks } from "./end/run-end.js";
import { watchAttempts } from "./end/nothing-done.js";
import { sandboxForRun } from "./run-sandbox.js";
import { setAgentSandbox } from "../../coordination/base/sandbox/confine.js";
import { watchControl } from "../control/control-watch.js";

export interface RunOptions {
  repoDir: string;
  config: SwarmConfig;
  roster: RosterEntry[];
  budgetUsd?: number;
  maxTasks?: number;
  /** Whether the repo has an oracle configured (the gate runs it). */
  oracle: boolean;
  signal: AbortSignal;
  /** Every event, as it is logged (the live view). */
  onEvent?: (event: SwarmEvent) => void;
  /** The demo's crash: SIGKILL this agent once it is working on its first task. */
  crashAgent?: string;
  leaseMsOverride?: number;
  /** Reviewers besides the roster's API agents (the demo's scripted reviewer). */
  reviewers?: ReviewerSpec[];
}

export interface RunResult {
  runId: string;
  state: RunEndState;
  /** What `gitswarm run` exits with (runner/swarm/run-exit-code.ts); also in the run-end event. */
  exitCode: RunExitCode;
  eventLog: string;
  hubUrl: string;
  /** A clone and ref that show the hub's main (for the closing analytics). */
  mainView: { dir: string; ref: string };
  tasks: RunTasks;
  agents: Map<string, SlotState>;
  home: HomeResult;
}

const RUNNER = "gitswarm-runner";

/** Runs the swarm; resolves when every agent has stopped. */
export async function runSwarm(options: RunOptions): Promise<RunResult> {
  const { repoDir, config } = options;
  checkReviewConfig(
    config.review,
    reviewerSpecs(options.roster, options.reviewers),
  );
  const release = await lockRun(repoDir);
  // An ssh hub: one connection for every git call of the run, its agents' too (fleet/hub-mux.ts).
  const hubLink = await shareHubConnection(
    locateHub(repoDir, config).url,
    repoDir,
  );
  const runId = new Date().toISOString().replace(/[:.]/g, "-");
  // Until run-end is written, an exception ends the run unannounced: notified as run-failed.
  let notifier: Notifier | undefined;
  let ended = false;
  try {
    // The log first: a run that cannot write it stops here (exit 2), before any hub or claim.
    const runDir = path.join(runsDir(repoDir), runId);
    const log = new EventLog(runDir);
    notifier = startRunNotifier(log, config, repoDir, runId, options);
    const site = await setupSwarm(repoDir, config, [
      ...options.roster.map((a) => a.name),
      RUNNER,
    ]);
    // Before any agent starts: a host that cannot sandbox them refuses here, unless the user opted in.
    const sandbox = await sandboxForRun(repoDir, config.sandbox);
    // The coalescer's agent runs in this process: its commands are confined the same way.
    setAgentSandbox(sandbox.plan);
    if (options.onEvent) log.onEvent(options.onEvent);
    const emit = (event: Parameters<EventLog["emit"]>[0]) =>
      void log.emit(event);
    const runnerWs = site.workspaces.get(RUNNER);
    if (runnerWs === undefined)
      throw new SwarmError("setup", "the runner workspace was not created");
    const initial = await readSwarmState(runnerWs, { leases: false });
    emit({
      type: "run-start",
      runId,
      agents: options.roster.map((a) => ({ name: a.name, kind: a.spec.kind })),
      tasks: initial.tasks.length,
      tasksDone: initial.tasks.filter((t) => t.status === "done").length,
      hub: site.hubUrl,
      oracle: options.oracle,
      gates: configuredGateNames(config.gates, gateFacts(options)),
      sandbox: sandbox.description,
    });

    for (const t of initial.tasks)
      if (t.malformed !== undefined)
        emit({
          type: "unschedulable",
          agent: RUNNER,
          task: t.task.id,
          reason: `task ${t.task.id} is skipped: its task ref is malformed: ${t.malformed}`,
        });
    const leaseMs = options.leaseMsOverride ?? config.lease;
    const base = await new Git(repoDir).run(["show", "HEAD:PROGRESS.md"]);
    const sync = new ProgressSync(
      repoDir,
      runnerWs,
      await humanName(repoDir),
      base,
      emit,
    );
    sync.start();
    // Claims held live in this process (the lander's): the sweeper spares them.
    const liveClaims = new Set<string>();
    const duties = startRunnerDuties(runnerWs, {
      breaker: RUNNER,
      spare: liveClaims,
      leaseMs,
      emit,
      runnerId: site.runnerId,
      agents: options.roster.map((a) => a.name),
      gpus: config.gpus,
    });
    const supervisor = new AgentSupervisor({
      emit,
      stuckAfterMs: parseDuration(config.stuckAfter),
      maxRespawns: config.maxRespawns,
      noRespawn: new Set(options.crashAgent ? [options.crashAgent] : []),
      logs: new AgentLogBook(runDir),
    });
    const limits = watchLimits(log, supervisor, options);
    // `gitswarm pause|resume|agent` and the dashboard write the run's control file; this applies it.
    const control = watchControl({ runDir, steering: supervisor, emit });
    const attempts = watchAttempts();
    log.onEvent((event) => attempts.onEvent(event));
    const outage = watchRunHub(log, config, emit, () => supervisor.stopAll());
    // Mid-run, an unwritable log ends the run: agents give their claims back, nothing is left held.
    let logFailure: Error | undefined;
    log.onWriteError((error) => {
      logFailure = error;
      supervisor.stopAll(false, true);
    });
    // The coalescer, when coalesce.every / atEnd asks for it: in this process, one at a time.
    const coalescer = startCoalesceSchedule({
      home: runnerWs,
      repoDir,
      config,
      agent: () =>
        createRunCoalesceAgent(options.roster, config.coalesce, (e) => {
          if (e.type === "model-call")
            emit({ ...e, agent: "coalescer", type: "model-call" });
        }),
      emit,
      signal: options.signal,
    });
    log.onEvent((event) => coalescer.onEvent(event));
    // The merge queue's lander, when queue.enabled: in this process, one per hub across runners.
    const lander = startLanderSchedule({
      home: runnerWs,
      repoDir,
      config,
      loadOracle: options.oracle ? (dir) => loadOracleConfig(dir) : undefined,
      leaseMs,
      liveClaims,
      emit,
      signal: options.signal,
      runDir,
    });
    log.onEvent((event) => lander.onEvent(event));
    const onAbort = () => supervisor.stopAll();
    options.signal.addEventListener("abort", onAbort, { once: true });
    // However this process ends (a forced stop, a second Ctrl-C), no agent outlives it: killed, it
    // keeps its lock until the lease runs out and the next run resumes its work.
    const onExit = () => supervisor.stopAll(true);
    process.once("exit", onExit);
    // Ctrl-C during set-up: a listener added after the abort never fires, so start no agents at all.
    const jobs = options.signal.aborted
      ? []
      : options.roster.map((entry): AgentJob => ({
          ...jobFor(
            entry,
            options,
            site.workspaces.get(entry.name)?.dir ?? "",
            leaseMs,
            path.join(runDir, "budget.json"),
            sandbox.plan,
          ),
          runner: site.runnerId,
          runDir,
          ...(hubLink ? { sshCommand: hubLink.sshCommand } : {}),
        }));
    let agents: Map<string, SlotState>;
    try {
      agents = await supervisor.run(jobs);
    } finally {
      options.signal.removeEventListener("abort", onAbort);
      process.removeListener("exit", onExit);
      outage.stop();
      await control.stop();
      await duties.stop();
      await sync.stop();
      await lander.finish();
    }
    await coalescer.finish();
    if (logFailure !== undefined) throw logFailure;
    const { state, exitCode, tasks } = await endRun({
      runnerWs,
      runnerId: site.runnerId,
      log,
      signal: options.signal,
      outage: outage.reason(),
      limits,
      budgetUsd: options.budgetUsd,
      maxTasks: options.maxTasks,
      doneAtStart: initial.tasks.filter((t) => t.status === "done").length,
      agents,
      attempts,
    });
    ended = true;
    await notifier.flush();
    const home = await bringResultsHome(repoDir, config.hub.branch);
    return {
      runId,
      state,
      exitCode,
      eventLog: log.file,
      hubUrl: site.hubUrl,
      mainView: { dir: runnerWs.dir, ref: trackingRef(runnerWs) },
      tasks,
      agents,
      home,
    };
  } catch (error) {
    if (notifier !== undefined && !ended)
      await notifyRunCrash(notifier, runId, error);
    throw error;
  } finally {
    await hubLink?.stop();
    await release();
  }
}

async function humanName(repoDir: string): Promise<string> {
  const name = await new Git(repoDir).tryRun(["config", "user.name"]);
  return name.ok && name.stdout.trim() !== ""
    ? name.stdout.trim().replace(/\s+/g, "-")
    : "human";
}
