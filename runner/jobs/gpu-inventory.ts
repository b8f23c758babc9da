/**
 * What GPUs this host has and which are busy: parsed from `nvidia-smi --query-gpu` and
 * `--query-compute-apps` CSV (pure), or declared by the config's `gpus:` (which wins, so a host can
 * hold GPUs back or declare none). Detection runs nvidia-smi at the edge, in `detectGpus`.
 */
import { decode, runProcess } from "../../coordination/base/spawn.js";

/** One GPU as nvidia-smi reports it. `busy`: some other process already computes on it. */
export interface Gpu {
  index: number;
  uuid: string;
  name: string;
  memoryTotalMiB: number;
  memoryUsedMiB: number;
  utilizationPct: number;
  busy: boolean;
}

/** The host's GPUs and where the list came from (`none`: no nvidia-smi and no `gpus:`). */
export interface GpuInventory {
  source: "nvidia-smi" | "config" | "none";
  gpus: Gpu[];
  /** Why detection found nothing, for `doctor` and the run's messages. */
  note?: string;
}

/** The exact queries gitswarm runs; fakes in tests answer these. */
export const GPU_QUERY = [
  "--query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu",
  "--format=csv,noheader,nounits",
];
export const APPS_QUERY = [
  "--query-compute-apps=gpu_uuid,pid,used_memory",
  "--format=csv,noheader,nounits",
];

/** Parses `--query-gpu` CSV; lines that do not have six fields are skipped (driver banners). */
export function parseGpuQuery(
  csv: string,
  busyUuids: ReadonlySet<string>,
): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const fields = line.split(",").map((field) => field.trim());
    if (fields.length !== 6) continue;
    const [index, uuid, name, total, used, util] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!/^\d+$/.test(index) || uuid === "") continue;
    gpus.push({
      index: Number(index),
      uuid,
      name,
      memoryTotalMiB: numberOr(total, 0),
      memoryUsedMiB: numberOr(used, 0),
      utilizationPct: numberOr(util, 0),
      busy: busyUuids.has(uuid),
    });
  }
  return gpus;
}

/** Parses `--query-compute-apps` CSV into the UUIDs of GPUs some process computes on. */
export function parseComputeApps(csv: string): Set<string> {
  const busy = new Set<string>();
  for (const line of csv.split(/\r?\n/)) {
    const uuid = line.split(",")[0]?.trim();
    if (uuid?.startsWith("GPU-")) busy.add(uuid);
  }
  return busy;
}

/**
 * Applies the config's `gpus:`: a number N declares N GPUs (0: none) when nvidia-smi found none,
 * or keeps the first N it found; a list keeps the GPUs with those indices.
 */
export function applyGpuConfig(
  detected: readonly Gpu[],
  declared: number | readonly number[] | undefined,
): GpuInventory {
  if (declared === undefined)
    return detected.length > 0
      ? { source: "nvidia-smi", gpus: [...detected] }
      : {
          source: "none",
          gpus: [],
          note: "no GPU found (nvidia-smi missing or lists none)",
        };
  const wanted =
    typeof declared === "number"
      ? Array.from({ length: declared }, (_, i) => i)
      : [...declared];
  const byIndex = new Map(detected.map((gpu) => [gpu.index, gpu]));
  const gpus = wanted.map((index) => byIndex.get(index) ?? declaredGpu(index));
  return { source: "config", gpus };
}

// A GPU the config declares but nvidia-smi cannot describe (no driver on this host, a container).
function declaredGpu(index: number): Gpu {
  return {
    index,
    uuid: `GPU-config-${index}`,
    name: "declared in gitswarm.config.yaml",
    memoryTotalMiB: 0,
    memoryUsedMiB: 0,
    utilizationPct: 0,
    busy: false,
  };
}

/** Runs nvidia-smi (when on PATH) and applies `gpus:`; never throws for a missing driver. */
export async function detectGpus(
  declared: number | readonly number[] | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GpuInventory> {
  if (typeof declared === "number" && declared === 0)
    return { source: "config", gpus: [] };
  const query = async (args: string[]) => {
    try {
      const result = await runProcess("nvidia-smi", args, {
        cwd: process.cwd(),
        env,
        timeoutMs: 15_000,
      });
      return result.exitCode === 0 ? decode(result.stdout) : undefined;
    } catch {
      return undefined; // not installed: a host without GPUs
    }
  };
  const gpuCsv = await query(GPU_QUERY);
  const apps = gpuCsv === undefined ? "" : ((await query(APPS_QUERY)) ?? "");
  const detected =
    gpuCsv === undefined ? [] : parseGpuQuery(gpuCsv, parseComputeApps(apps));
  return applyGpuConfig(detected, declared);
}

/** One line per GPU for `gitswarm doctor`, or the reason none is seen. */
export function describeGpus(inventory: GpuInventory): string {
  if (inventory.gpus.length === 0)
    return `GPUs: none (${inventory.note ?? "gpus: 0 in gitswarm.config.yaml"}); job tasks with gpu: N > 0 will not run on this host\n`;
  const lines = inventory.gpus.map(
    (gpu) =>
      `  ${gpu.index}  ${gpu.uuid}  ${gpu.name}${gpu.memoryTotalMiB > 0 ? `  ${gpu.memoryUsedMiB}/${gpu.memoryTotalMiB} MiB` : ""}${gpu.busy ? "  busy (another process computes on it)" : ""}`,
  );
  return `GPUs (${inventory.source}): ${inventory.gpus.length}\n${lines.join("\n")}\n`;
}

function numberOr(text: string, fallback: number): number {
  const value = Number(text);
  return Number.isFinite(value) ? value : fallback;
}
