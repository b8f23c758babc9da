/**
 * The environment a job runs in, after the conventions of cluster schedulers: its GPUs in
 * `CUDA_VISIBLE_DEVICES` (PCI bus order, as nvidia-smi numbers them), a run id that stays the same
 * across every restart of the task (so trackers and resumable scripts see one run), a checkpoint
 * directory outside the clone that survives attempts on this host, and a metrics file.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { Gpu } from "./gpu-inventory.js";

/** Where a job's files live on this host. */
export interface JobPaths {
  runId: string;
  checkpointDir: string;
  metricsFile: string;
}

/**
 * A run id stable for one task of one project: the task id and a hash of the hub's first commit
 * (the same for every clone and every runner of the project, different across projects).
 */
export function jobRunId(rootCommit: string, taskId: string): string {
  const digest = createHash("sha256")
    .update(`${rootCommit}\0${taskId}`)
    .digest("hex")
    .slice(0, 12);
  return `${taskId}-${digest}`;
}

/** The job's checkpoint dir and metrics file under `jobsRoot` (outside every clone). */
export function jobPaths(
  jobsRoot: string,
  rootCommit: string,
  taskId: string,
): JobPaths {
  const runId = jobRunId(rootCommit, taskId);
  const dir = path.join(jobsRoot, runId);
  return {
    runId,
    checkpointDir: path.join(dir, "checkpoints"),
    metricsFile: path.join(dir, "metrics.jsonl"),
  };
}

/** The variables a job process gets on top of its (secret-free) environment. */
export function jobEnv(
  paths: JobPaths,
  gpus: readonly Gpu[],
): Record<string, string> {
  return {
    // An empty list hides every GPU: a `gpu: 0` job must not grab one by accident.
    CUDA_VISIBLE_DEVICES: gpus.map((gpu) => gpu.index).join(","),
    CUDA_DEVICE_ORDER: "PCI_BUS_ID",
    GITSWARM_RUN_ID: paths.runId,
    GITSWARM_CHECKPOINT_DIR: paths.checkpointDir,
    GITSWARM_METRICS_FILE: paths.metricsFile,
  };
}
