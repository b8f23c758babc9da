/**
 * A job task's life on this host, at the agent loop's edges: what the host has (GPUs found by
 * nvidia-smi or declared by `gpus:`), whether a task can ever fit, leasing its GPUs before the
 * claim, the runtime the job process gets (job-env.ts), and what lands when it ends (the accept
 * rule on the final metrics, the artifact manifest, the `result:` figures).
 */
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { JobRuntime } from "../../agents/index.js";
import { checkAccept } from "../../coordination/progress/job-accept.js";
import {
  parseJobSpec,
  type JobSpec,
} from "../../coordination/progress/job-spec.js";
import type { Task } from "../../coordination/progress/task.js";
import {
  trackingRef,
  type Workspace,
} from "../../coordination/git/workspace.js";
import type { JobSettings } from "../agent/agent-job.js";
import {
  buildArtifactManifest,
  manifestPath,
  renderManifest,
} from "./artifacts.js";
import {
  defaultDeviceLeaseDir,
  leaseGpus,
  type DeviceLease,
} from "./device-leases.js";
import { detectGpus, type Gpu, type GpuInventory } from "./gpu-inventory.js";
import { jobEnv, jobPaths, type JobPaths } from "./job-env.js";
import {
  describeInvalidLine,
  formatMetrics,
  readMetricsFile,
} from "./job-metrics.js";

/** This host as a job runner sees it. */
export interface JobHost {
  inventory: GpuInventory;
  leaseDir: string;
  jobsRoot: string;
  /** The hub's first commit: with the task id, it makes the run id stable across restarts. */
  rootCommit: string;
  stopGraceMs: number;
}

/** Detects the GPUs and reads the hub's root commit. */
export async function openJobHost(
  ws: Workspace,
  settings: JobSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<JobHost> {
  const roots = await ws.git.run([
    "rev-list",
    "--max-parents=0",
    trackingRef(ws),
  ]);
  const rootCommit = roots.trim().split("\n").pop() ?? "";
  return {
    inventory: await detectGpus(settings.gpus, env),
    leaseDir: defaultDeviceLeaseDir(env),
    jobsRoot: settings.jobsRoot,
    rootCommit,
    stopGraceMs: settings.stopGraceMs,
  };
}

/** Why this host can never run `task` (it needs more GPUs than the host has); undefined when it can. */
export function tooBigReason(
  task: Task,
  host: JobHost | undefined,
): string | undefined {
  const need = task.gpu ?? 0;
  if (host === undefined || task.run === undefined) return undefined;
  const have = host.inventory.gpus.length;
  const plural = need === 1 ? "" : "s";
  if (need > have)
    return `${task.id} needs ${need} GPU${plural}; this host has ${have}`;
  const memMiB = gpuMemOf(task);
  const big = fittingGpus(host.inventory.gpus, memMiB).length;
  if (need <= big) return undefined;
  return `${task.id} needs ${need} GPU${plural} with ${memMiB} MiB each; this host has ${big}`;
}

/** The `gpu-mem:` a task asks for each of its GPUs, in MiB (undefined: any GPU will do). */
function gpuMemOf(task: Task): number | undefined {
  return task.job === undefined
    ? undefined
    : parseJobSpec(task.job, task.line).spec?.gpuMemMiB;
}

/** GPUs with at least `memMiB` of memory; a GPU declared in config (size unknown) always fits. */
function fittingGpus(gpus: readonly Gpu[], memMiB: number | undefined): Gpu[] {
  if (memMiB === undefined) return [...gpus];
  return gpus.filter(
    (gpu) => gpu.memoryTotalMiB === 0 || gpu.memoryTotalMiB >= memMiB,
  );
}

/** GPUs leased for a task before claiming it (none for a task that needs none). */
export type TaskLease =
  { ok: true; lease?: DeviceLease } | { ok: false; message: string };

/** Leases the GPUs `task` needs, all or nothing; the caller releases them when the attempt ends. */
export async function leaseTaskGpus(
  host: JobHost | undefined,
  task: Task,
): Promise<TaskLease> {
  const need = task.gpu ?? 0;
  if (host === undefined || task.run === undefined || need === 0)
    return { ok: true };
  const result = await leaseGpus(
    fittingGpus(host.inventory.gpus, gpuMemOf(task)),
    need,
    host.leaseDir,
  );
  if (result.ok) return { ok: true, lease: result.lease };
  return {
    ok: false,
    message: `${task.id} needs ${need} free GPU(s); ${result.free} free on this host now`,
  };
}

/** A job about to run: its spec, its files on this host, and the runtime the agent gets. */
export interface PreparedJob {
  spec: JobSpec;
  paths: JobPaths;
  runtime: JobRuntime;
}

/**
 * Makes the checkpoint dir (kept across attempts: the same run id finds it again) and keeps the
 * artifact files out of every commit of the clone (heartbeats included): only the manifest lands.
 */
export async function prepareJob(
  host: JobHost,
  task: Task,
  gpus: readonly Gpu[],
  ws: Workspace,
): Promise<PreparedJob> {
  const spec = parseJobSpec(task.job ?? {}, task.line).spec ?? {
    gpus: 0,
    artifacts: [],
  };
  const paths = jobPaths(host.jobsRoot, host.rootCommit, task.id);
  await mkdir(paths.checkpointDir, { recursive: true });
  if (spec.artifacts.length > 0) {
    const exclude = await ws.git.run([
      "rev-parse",
      "--git-path",
      "info/exclude",
    ]);
    const file = path.resolve(ws.dir, exclude.trim());
    await mkdir(path.dirname(file), { recursive: true });
    await appendFile(file, `\n${spec.artifacts.join("\n")}\n`);
  }
  return {
    spec,
    paths,
    runtime: {
      env: jobEnv(paths, gpus),
      timeLimitMs: spec.timeLimitMs,
      stopGraceMs: host.stopGraceMs,
    },
  };
}

/** How a finished job ends: it lands (with its figures) or fails its accept rule. */
export type JobConclusion =
  { ok: true; result?: string } | { ok: false; reason: string };

/** Checks `accept:` on the final metrics and writes the artifact manifest into the clone. */
export async function concludeJob(
  job: PreparedJob,
  taskId: string,
  workspaceDir: string,
): Promise<JobConclusion> {
  const { metrics, invalid } = await readMetricsFile(job.paths.metricsFile);
  if (job.spec.accept !== undefined) {
    const verdict = checkAccept(job.spec.accept, metrics);
    // The line the job meant as its final figures may be the one it wrote wrong: name it.
    const wrong = invalid[0];
    if (!verdict.ok)
      return {
        ok: false,
        reason:
          wrong === undefined
            ? verdict.reason
            : `${verdict.reason}; ${describeInvalidLine(job.paths.metricsFile, wrong)}`,
      };
  }
  if (job.spec.artifacts.length > 0) {
    const entries = await buildArtifactManifest(
      workspaceDir,
      job.spec.artifacts,
    );
    const file = path.join(workspaceDir, manifestPath(taskId));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, renderManifest(taskId, entries));
  }
  return {
    ok: true,
    ...(metrics === undefined ? {} : { result: formatMetrics(metrics) }),
  };
}
