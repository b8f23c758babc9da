/**
 * A job task's resource needs and rules, read from its PROGRESS.md metadata: `gpu: N`,
 * `gpu-mem: 40G`, `time-limit: 6h`, `accept: loss < 0.5`, `artifacts: out/*.bin, logs/*`. Each bad
 * value is a problem naming the line, so a typo is refused before anything runs.
 */
import { parseDuration } from "../base/duration.js";
import { parseAcceptRule, type AcceptRule } from "./job-accept.js";

/** The validated needs of one job. */
export interface JobSpec {
  gpus: number;
  gpuMemMiB?: number;
  timeLimitMs?: number;
  accept?: AcceptRule;
  artifacts: string[];
}

/** The raw metadata values as written, with the line of each. */
export type JobFields = Partial<
  Record<
    "run" | "gpu" | "gpu-mem" | "time-limit" | "accept" | "artifacts",
    { value: string; line: number }
  >
>;

/** A problem with one job field: `line` is the PROGRESS.md line. */
export interface JobProblem {
  line: number;
  message: string;
}

/** Validates a job's fields; `taskLine` is used when `run:` itself is missing. */
export function parseJobSpec(
  fields: JobFields,
  taskLine: number,
): { spec?: JobSpec; problems: JobProblem[] } {
  const problems: JobProblem[] = [];
  const spec: JobSpec = { gpus: 0, artifacts: [] };
  const jobOnly = (
    ["gpu-mem", "time-limit", "accept", "artifacts"] as const
  ).filter((key) => fields[key] !== undefined);
  const gpu = fields.gpu;
  if (gpu !== undefined) {
    if (/^\d+$/.test(gpu.value.trim())) spec.gpus = Number(gpu.value.trim());
    else
      problems.push({
        line: gpu.line,
        message: `gpu: expects a whole number of GPUs, got '${gpu.value}'`,
      });
  }
  if (fields.run === undefined && (spec.gpus > 0 || jobOnly.length > 0))
    problems.push({
      line: fields.gpu?.line ?? fields[jobOnly[0]!]?.line ?? taskLine,
      message: `a job needs a command: add '- run: <command>' to the task (it has ${[gpu ? "gpu" : undefined, ...jobOnly].filter(Boolean).join(", ")})`,
    });
  const mem = fields["gpu-mem"];
  if (mem !== undefined) {
    const mib = parseMemory(mem.value);
    if (mib === undefined)
      problems.push({
        line: mem.line,
        message: `gpu-mem: expects a size such as 40G or 16000M, got '${mem.value}'`,
      });
    else spec.gpuMemMiB = mib;
  }
  const limit = fields["time-limit"];
  if (limit !== undefined) {
    const ms = parseDuration(limit.value);
    if (ms === undefined)
      problems.push({
        line: limit.line,
        message: `time-limit: expects a duration such as 90m or 6h, got '${limit.value}'`,
      });
    else spec.timeLimitMs = ms;
  }
  const accept = fields.accept;
  if (accept !== undefined) {
    const rule = parseAcceptRule(accept.value);
    if (rule.ok) spec.accept = rule.rule;
    else problems.push({ line: accept.line, message: rule.problem });
  }
  const artifacts = fields.artifacts;
  if (artifacts !== undefined) {
    spec.artifacts = artifacts.value
      .split(",")
      .map((glob) => glob.trim())
      .filter((glob) => glob !== "");
    const outside = spec.artifacts.find(
      (glob) => glob.startsWith("/") || glob.split("/").includes(".."),
    );
    if (outside !== undefined)
      problems.push({
        line: artifacts.line,
        message: `artifacts: '${outside}' leaves the workspace; use paths relative to the repository`,
      });
  }
  return problems.length > 0 ? { problems } : { spec, problems };
}

/** `40G`, `40GB`, `40GiB`, `16000M`, `16000` (MiB) → MiB. */
export function parseMemory(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(g|gb|gib|m|mb|mib)?\s*$/i.exec(text);
  if (match === null) return undefined;
  const unit = (match[2] ?? "m").toLowerCase();
  const mib = Number(match[1]) * (unit.startsWith("g") ? 1024 : 1);
  return mib > 0 ? Math.round(mib) : undefined;
}
