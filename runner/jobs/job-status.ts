/**
 * A running job as the hub has it, for `gitswarm status`: the trailers of its work branch's tip
 * (the last heartbeat) — `Swarm-Metrics` (its last metrics) and `Swarm-Job` (its run id, GPUs and
 * the time its limit ends). Nothing is read from main.
 */
import { readHubBranches } from "../../coordination/git/hub-branches.js";
import type { SwarmState } from "../../coordination/protocol/swarm-state.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { Gpu } from "./gpu-inventory.js";
import { formatMetrics, lastMetrics, type JobMetrics } from "./job-metrics.js";

/** What a job's heartbeats say of it besides its metrics (the `Swarm-Job` trailer). */
export interface JobInfo {
  runId: string;
  /** The GPU indices it runs on (CUDA_VISIBLE_DEVICES), empty for none. */
  gpus: number[];
  /** When its `time:` limit stops it (ISO); absent without a limit. */
  until?: string;
}

/** A running job in `status`: its info and last metrics, each absent until a beat carried it. */
export interface RunningJob extends Partial<JobInfo> {
  metrics?: JobMetrics;
}

/** The `Swarm-Job` trailer value of a job started `startedAt` on `gpus`. */
export function jobInfoTrailer(
  runId: string,
  gpus: readonly Gpu[],
  timeLimitMs: number | undefined,
  startedAt: Date,
): string {
  const info: JobInfo = {
    runId,
    gpus: gpus.map((gpu) => gpu.index),
    ...(timeLimitMs === undefined
      ? {}
      : { until: new Date(startedAt.getTime() + timeLimitMs).toISOString() }),
  };
  return JSON.stringify(info);
}

/** Reads a `Swarm-Job` trailer value; undefined when it is missing or not one. Pure. */
export function parseJobInfo(text: string): JobInfo | undefined {
  const line = text.trim().split("\n").at(-1) ?? "";
  try {
    const value = JSON.parse(line) as Partial<JobInfo>;
    if (typeof value.runId !== "string" || !Array.isArray(value.gpus))
      return undefined;
    return {
      runId: value.runId,
      gpus: value.gpus.filter((g): g is number => typeof g === "number"),
      ...(typeof value.until === "string" ? { until: value.until } : {}),
    };
  } catch {
    return undefined;
  }
}

/** `GPUs 0,1 · run train-1a2b · step 300, loss 0.42 · 12m left`: one job's line. Pure. */
export function formatRunningJob(job: RunningJob, now: Date): string {
  const parts: string[] = [];
  if (job.gpus !== undefined)
    parts.push(job.gpus.length === 0 ? "no GPU" : `GPUs ${job.gpus.join(",")}`);
  if (job.runId !== undefined) parts.push(`run ${job.runId}`);
  parts.push(
    job.metrics === undefined ? "no metrics yet" : formatMetrics(job.metrics),
  );
  if (job.until !== undefined) {
    const left = Date.parse(job.until) - now.getTime();
    parts.push(left > 0 ? `${formatLeft(left)} left` : "time limit reached");
  }
  return parts.join(" · ");
}

function formatLeft(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** task id → what its held claim's last heartbeat said of the job (job tasks only). */
export async function readRunningJobs(
  ws: Workspace,
  state: SwarmState,
  signal?: AbortSignal,
): Promise<Map<string, RunningJob>> {
  const jobs = new Set(
    state.tasks.filter((t) => t.task.run !== undefined).map((t) => t.task.id),
  );
  const branches = new Map<string, string>();
  for (const lock of state.locks)
    if (lock.entry.ok && jobs.has(lock.entry.lock.task))
      branches.set(lock.entry.lock.branch, lock.entry.lock.task);
  const running = new Map<string, RunningJob>();
  if (branches.size === 0) return running;
  for (const tip of await readHubBranches(ws, [...branches.keys()], signal)) {
    const task = branches.get(tip.branch);
    if (task === undefined) continue;
    const trailers = await ws.git.run([
      "show",
      "-s",
      "--format=%(trailers:key=Swarm-Metrics,valueonly,separator=%x0A)%x00%(trailers:key=Swarm-Job,valueonly,separator=%x0A)",
      tip.commit,
    ]);
    const [metricsText = "", infoText = ""] = trailers.split("\0");
    const metrics = lastMetrics(metricsText);
    running.set(task, {
      ...parseJobInfo(infoText),
      ...(metrics === undefined ? {} : { metrics }),
    });
  }
  return running;
}
