/**
 * A job's metrics file: JSON lines such as `{"step": 100, "loss": 0.42}` appended by the job. The
 * last complete object is what heartbeats carry and what `accept:` and the result line judge;
 * lines after it that are not JSON objects are named (file:line and why) when they matter.
 */
import { open, type FileHandle } from "node:fs/promises";

/** One metrics record: numbers and short strings by name. */
export type JobMetrics = Record<string, number | string>;

// Only the tail is read: a long training run appends millions of lines.
const TAIL_BYTES = 64 * 1024;

/** A metrics line that is not a JSON object: where it is and why, for a human to fix the job. */
export interface InvalidMetricsLine {
  /** 1-based line number in the metrics file (in `text` for {@link scanMetrics}). */
  line: number;
  reason: string;
  text: string;
}

/** The last object of a metrics text, and the invalid lines written after it (newest first). */
export interface MetricsScan {
  metrics?: JobMetrics;
  invalid: InvalidMetricsLine[];
}

/**
 * Scans `text` from its end for the last complete JSON object line; the non-empty lines after it
 * that are not objects are returned as invalid, numbered from `firstLine`. Pure.
 */
export function scanMetrics(text: string, firstLine = 1): MetricsScan {
  const lines = text.split("\n");
  const invalid: InvalidMetricsLine[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim();
    if (!line) continue;
    const parsed = parseLine(line);
    if (parsed.ok) return { metrics: pickScalars(parsed.value), invalid };
    invalid.push({ line: firstLine + i, reason: parsed.reason, text: line });
  }
  return { invalid };
}

function parseLine(
  line: string,
):
  { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? { ok: true, value: value as Record<string, unknown> }
      : { ok: false, reason: "not a JSON object" };
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
}

/** The last complete JSON object line of `text`; torn or garbage lines are skipped. */
export function lastMetrics(text: string): JobMetrics | undefined {
  return scanMetrics(text).metrics;
}

/** Reads the last metrics from the file; undefined when it does not exist or holds none yet. */
export async function readLastMetrics(
  file: string,
): Promise<JobMetrics | undefined> {
  return (await readMetricsFile(file)).metrics;
}

/**
 * Reads the file's tail: its last metrics and the invalid lines after them, numbered as lines of
 * the whole file. A missing file is an empty scan.
 */
export async function readMetricsFile(file: string): Promise<MetricsScan> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch {
    return { invalid: [] };
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    let text = buffer.toString("utf8");
    let before = 0;
    if (start > 0) {
      // The tail's first line is cut: drop it, and count the lines before it only when needed.
      const cut = text.indexOf("\n") + 1;
      text = text.slice(cut);
      const scan = scanMetrics(text);
      if (scan.invalid.length === 0) return scan;
      before = await countNewlines(handle, start + cut);
    }
    return scanMetrics(text, before + 1);
  } finally {
    await handle.close();
  }
}

async function countNewlines(handle: FileHandle, end: number): Promise<number> {
  const chunk = Buffer.alloc(1024 * 1024);
  let count = 0;
  for (let at = 0; at < end; at += chunk.length) {
    const { bytesRead } = await handle.read(
      chunk,
      0,
      Math.min(chunk.length, end - at),
      at,
    );
    for (let i = 0; i < bytesRead; i++) if (chunk[i] === 10) count += 1;
  }
  return count;
}

/** `metrics.jsonl:7: not JSON (…): {"loss": .87}`: an invalid line as a message names it. */
export function describeInvalidLine(
  file: string,
  invalid: InvalidMetricsLine,
): string {
  const shown =
    invalid.text.length > 80 ? `${invalid.text.slice(0, 77)}...` : invalid.text;
  return `${file}:${invalid.line}: ${invalid.reason}: ${shown}`;
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
