/**
 * A job's metrics file: JSON lines such as `{"step": 100, "loss": 0.42}` appended by the job. The
 * last complete object is what heartbeats carry and what `accept:` and the result line judge.
 */
import { open } from "node:fs/promises";

/** One metrics record: numbers and short strings by name. */
export type JobMetrics = Record<string, number | string>;

// Only the tail is read: a long training run appends millions of lines.
const TAIL_BYTES = 64 * 1024;

/** The last complete JSON object line of `text`; torn or garbage lines are skipped. */
export function lastMetrics(text: string): JobMetrics | undefined {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim();
    if (!line) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === "object" && value !== null && !Array.isArray(value))
        return pickScalars(value as Record<string, unknown>);
    } catch {
      // a line torn by a crash mid-write, or not JSON: look further back
    }
  }
  return undefined;
}

/** Reads the last metrics from the file; undefined when it does not exist or holds none yet. */
export async function readLastMetrics(
  file: string,
): Promise<JobMetrics | undefined> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return lastMetrics(buffer.toString("utf8"));
  } finally {
    await handle.close();
  }
}

/** `step 3000, loss 0.21`: the figures for PROGRESS.md's `result:` line and the live view. */
export function formatMetrics(metrics: JobMetrics): string {
  return Object.entries(metrics)
    .map(([key, value]) => `${key} ${formatValue(value)}`)
    .join(", ");
}

function formatValue(value: number | string): string {
  if (typeof value === "string") return value;
  return Number.isInteger(value)
    ? String(value)
    : String(Number(value.toPrecision(4)));
}

function pickScalars(record: Record<string, unknown>): JobMetrics {
  const out: JobMetrics = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "number" && Number.isFinite(value)) out[key] = value;
    else if (typeof value === "string" && value.length <= 80) out[key] = value;
  }
  return out;
}
