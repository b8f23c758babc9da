/**
 * The deterministic monitor of agent processes (it costs no tokens): starts one process per agent,
 * forwards its events to the log, notices a process that died or went silent for too long, kills
 * and respawns it with what happened put into its next prompt, and gives up on an agent after
 * `maxRespawns`. A respawned agent keeps its name, so it resumes its own claim. A user may stop one
 * agent (it gives its claim back) or restart it (runner/control/).
 */
import {
  decode,
  killProcessGroup,
  streamLines,
} from "../../coordination/base/spawn.js";
import { describeActivity } from "../agent/agent-activity.js";
import type { AgentJob } from "../agent/agent-job.js";
import { RELEASE_STOP_SIGNAL } from "../agent/release-stop.js";
import { sleep } from "../../coordination/git/backoff.js";
import { respawnDelayMs } from "./respawn-delay.js";
import type { EventInput } from "../../coordination/base/events.js";
import {
  agentKeys,
  agentProcessArgs,
  killGroupNow,
  parseLine,
} from "./process/agent-spawn.js";
import { decideExit } from "./process/exit-decision.js";
import type {
  Slot,
  SlotState,
  SupervisorOptions,
} from "./process/supervisor-types.js";

/** Supervises the agent processes of one run. */
export class AgentSupervisor {
  private readonly slots = new Map<string, Slot>();
  private watchdog: NodeJS.Timeout | undefined;
  /** Set by `stopAll`: an agent that exits now is never respawned (the run is ending). */
  private stopping = false;
  /** Set when `run` has returned: nothing starts any more. */
  private over = false;

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts every agent and resolves when all have ended for good. */
  async run(jobs: readonly AgentJob[]): Promise<Map<string, SlotState>> {
    const stuckAfter = this.options.stuckAfterMs ?? 15 * 60_000;
    this.watchdog = setInterval(
      () => this.killStuck(stuckAfter),
      Math.min(5_000, stuckAfter / 2),
    );
    for (const job of jobs) this.start(job, 0);
    try {
      // Slots are replaced on respawn; wait until no slot is running any more.
      while ([...this.slots.values()].some((s) => s.state === "running")) {
        await Promise.race(
          [...this.slots.values()]
            .filter((s) => s.state === "running")
            .map((s) => s.ended),
        );
      }
    } finally {
      this.over = true;
      clearInterval(this.watchdog);
    }
    return new Map([...this.slots].map(([name, slot]) => [name, slot.state]));
  }

  /**
   * Asks every agent to stop gracefully (SIGTERM: it keeps its claim for the next run); `force`
   * kills them outright; `release` makes them give their claims back (a run that cannot go on).
   */
  stopAll(force = false, release = false): void {
    this.stopping = true;
    for (const slot of this.slots.values()) {
      if (slot.state !== "running" || slot.pid === undefined) continue;
      if (force) killGroupNow(slot.pid);
      else process.kill(slot.pid, release ? RELEASE_STOP_SIGNAL : "SIGTERM");
    }
  }

  /**
   * SIGKILLs one agent's process on purpose (the demo's crash, `reason` says why); it is not
   * respawned when `noRespawn` names it, and its end is reported as a kill, not a crash.
   */
  kill(name: string, reason: string): boolean {
    const slot = this.slots.get(name);
    if (slot?.state !== "running" || slot.pid === undefined) return false;
    slot.killedBecause = reason;
    killProcessGroup(slot.pid, 0);
    return true;
  }

  /**
   * Stops one agent at a user's request: it gives its claim back (the release signal) and is not
   * respawned. False when it has no process now.
   */
  stopAgent(name: string, why: string): boolean {
    const slot = this.slots.get(name);
    if (slot?.state !== "running" || this.stopping) return false;
    slot.stoppedBecause = why;
    slot.restarting = false;
    // Between respawns it has no process: the pending respawn sees the stop and starts nothing.
    if (slot.pid !== undefined) process.kill(slot.pid, RELEASE_STOP_SIGNAL);
    return true;
  }

  /**
   * Restarts one agent at a user's request: a running one is stopped keeping its claim (SIGTERM)
   * and started again at once, resuming it; a stopped or finished one starts again. Not counted
   * against `maxRespawns`. False once the run is over or ending.
   */
  restartAgent(name: string): boolean {
    const slot = this.slots.get(name);
    if (slot === undefined || this.over || this.stopping) return false;
    if (slot.state !== "running") {
      this.start(slot.job, slot.respawns);
      return true;
    }
    if (slot.pid === undefined) return false;
    slot.stoppedBecause = undefined;
    slot.restarting = true;
    process.kill(slot.pid, "SIGTERM");
    return true;
  }

  /** Names of agents whose process is running now. */
  running(): string[] {
    return [...this.slots]
      .filter(([, s]) => s.state === "running")
      .map(([name]) => name);
  }

  private start(job: AgentJob, respawns: number): void {
    const keyed = { ...job, keysOnStdin: true };
    const child = streamLines(process.execPath, agentProcessArgs(keyed), {
      cwd: job.workspaceDir,
      // The inherited env is scrubbed of every secret; the agent gets back only its own keys, on
      // its stdin (an environment would stay readable in /proc/<pid>/environ).
      input: JSON.stringify(agentKeys(job)),
      maxOutputBytes: 1024 * 1024,
    });
    const slot: Slot = {
      job,
      state: "running",
      pid: child.pid,
      respawns,
      lastEventAt: Date.now(),
      lastEvents: [],
      ended: Promise.resolve(),
    };
    this.slots.set(job.name, slot);
    let end: string | undefined;
    const log = this.options.logs?.forAgent(job.name);
    slot.ended = (async () => {
      for await (const line of child.lines) {
        const event = parseLine(line);
        if (event === undefined) {
          log?.printed("stdout", line);
          continue;
        }
        log?.record(event);
        if (event.type === "agent-log") continue;
        // Heartbeats prove the process lives, not that the agent gets anywhere.
        if (event.type !== "heartbeat") slot.lastEventAt = Date.now();
        slot.lastEvents = [
          ...slot.lastEvents.slice(-4),
          describeActivity(event),
        ];
        if (event.type === "loop-end") end = String(event.end);
        else this.options.emit(event as EventInput);
      }
      const result = await child.done.catch((error: Error) => ({
        exitCode: null,
        signal: error.message,
        stderr: new Uint8Array(),
      }));
      const fullStderr = decode(result.stderr);
      log?.printed("stderr", fullStderr);
      log?.printed(
        "exit",
        `agent process exited with ${result.signal ?? `code ${result.exitCode}`}`,
      );
      const stderr = fullStderr.trim().split("\n").slice(-3).join(" | ");
      if (stderr !== "")
        slot.lastEvents.push(`stderr: ${stderr.slice(0, 500)}`);
      this.onExit(slot, end, result.exitCode, result.signal);
    })();
  }

  private onExit(
    slot: Slot,
    end: string | undefined,
    exitCode: number | null,
    signal: string | null,
  ): void {
    const name = slot.job.name;
    const emitState = (state: string, reason?: string) =>
      this.options.emit({
        type: "agent-state",
        agent: name,
        state,
        ...(reason !== undefined ? { reason } : {}),
      });
    const decision = decideExit({
      end,
      exitCode,
      signal,
      lastEvents: slot.lastEvents,
      restarting: slot.restarting === true,
      stoppedBecause: slot.stoppedBecause,
      killedBecause: slot.killedBecause,
      stopping: this.stopping,
      over: this.over,
      noRespawn: this.options.noRespawn?.has(name) ?? false,
      respawns: slot.respawns,
      maxRespawns: this.options.maxRespawns ?? 3,
    });
    switch (decision.kind) {
      case "restart":
        emitState("restarting");
        this.start(slot.job, slot.respawns);
        return;
      case "stopped":
        slot.state = "stopped";
        emitState("stopped", decision.reason);
        return;
      case "ended":
        slot.state = decision.state as SlotState;
        emitState(decision.state);
        return;
      case "killed":
        slot.state = "failed";
        emitState("killed", decision.reason);
        return;
      case "dead":
        slot.state = "failed";
        emitState("dead");
        this.options.emit({
          type: "error",
          agent: name,
          message: `${decision.why}; not respawned`,
        });
        return;
      case "respawn":
        this.respawn(slot, decision.why);
    }
  }

  private respawn(slot: Slot, why: string): void {
    const name = slot.job.name;
    // Backed off (issue 19: three instant respawns against a hub that was down for 17 s): the
    // slot stays "running" with no process until the delay is over, unless the run stops meanwhile.
    const delayMs = respawnDelayMs(slot.respawns, this.options.respawnBaseMs);
    this.options.emit({ type: "respawn", agent: name, reason: why, delayMs });
    slot.pid = undefined;
    slot.ended = sleep(delayMs).then(() => {
      if (this.stopping || slot.stoppedBecause !== undefined) {
        slot.state = "stopped";
        this.options.emit({
          type: "agent-state",
          agent: name,
          state: "stopped",
        });
        return;
      }
      this.start(
        {
          ...slot.job,
          previousCrash: `Your previous process died (${why}). Check the workspace and continue.`,
        },
        slot.respawns + 1,
      );
    });
  }

  private killStuck(stuckAfterMs: number): void {
    for (const slot of this.slots.values()) {
      if (slot.state !== "running" || slot.pid === undefined) continue;
      if (Date.now() - slot.lastEventAt < stuckAfterMs) continue;
      this.options.emit({
        type: "error",
        agent: slot.job.name,
        message: `no progress for ${Math.round(stuckAfterMs / 1000)}s: killing it`,
      });
      killProcessGroup(slot.pid, 0);
    }
  }
}
