import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  applyGpuConfig,
  parseComputeApps,
  parseGpuQuery,
} from "../../../runner/jobs/gpu-inventory.js";
import {
  checkAccept,
  parseAcceptRule,
} from "../../../coordination/progress/job-accept.js";
import {
  formatMetrics,
  lastMetrics,
  describeInvalidLine,
  readLastMetrics,
  readMetricsFile,
  scanMetrics,
} from "../../../runner/jobs/job-metrics.js";
import { jobEnv, jobPaths, jobRunId } from "../../../runner/jobs/job-env.js";
import {
  formatRunningJob,
  jobInfoTrailer,
  parseJobInfo,
} from "../../../runner/jobs/job-status.js";
import {
  parseJobSpec,
  parseMemory,
} from "../../../coordination/progress/job-spec.js";
import {
  buildArtifactManifest,
  renderManifest,
} from "../../../runner/jobs/artifacts.js";

const GPUS_CSV = [
  "0, GPU-aaaa, NVIDIA H100 80GB HBM3, 81559, 0, 0",
  "1, GPU-bbbb, NVIDIA H100 80GB HBM3, 81559, 40000, 97",
  "2, GPU-cccc, NVIDIA H100 80GB HBM3, 81559, [N/A], 0",
  "No devices were found",
].join("\n");

describe("GPU inventory", () => {
  it("parses nvidia-smi CSV and marks GPUs with compute apps busy", () => {
    const busy = parseComputeApps("GPU-bbbb, 4242, 40000\n\n");
    const gpus = parseGpuQuery(GPUS_CSV, busy);
    expect(gpus.map((g) => [g.index, g.uuid, g.busy, g.memoryUsedMiB])).toEqual(
      [
        [0, "GPU-aaaa", false, 0],
        [1, "GPU-bbbb", true, 40000],
        [2, "GPU-cccc", false, 0],
      ],
    );
    expect(gpus[0]?.memoryTotalMiB).toBe(81559);
  });

  it("lets the config keep a subset, declare GPUs nvidia-smi cannot see, or declare none", () => {
    const gpus = parseGpuQuery(GPUS_CSV, new Set());
    expect(applyGpuConfig(gpus, [0, 2]).gpus.map((g) => g.uuid)).toEqual([
      "GPU-aaaa",
      "GPU-cccc",
    ]);
    expect(applyGpuConfig([], 2)).toMatchObject({
      source: "config",
      gpus: [{ index: 0 }, { index: 1 }],
    });
    expect(applyGpuConfig(gpus, 0).gpus).toEqual([]);
    expect(applyGpuConfig([], undefined)).toMatchObject({
      source: "none",
      gpus: [],
    });
  });
});

describe("job specs", () => {
  const at = (value: string, line = 5) => ({ value, line });

  it("accepts a full job", () => {
    const { spec, problems } = parseJobSpec(
      {
        run: at("python train.py"),
        gpu: at("2"),
        "gpu-mem": at("40G"),
        "time-limit": at("6h"),
        accept: at("loss < 0.5"),
        artifacts: at("out/*.bin, logs/**"),
      },
      4,
    );
    expect(problems).toEqual([]);
    expect(spec).toMatchObject({
      gpus: 2,
      gpuMemMiB: 40 * 1024,
      timeLimitMs: 6 * 3_600_000,
      accept: { metric: "loss", operator: "<", value: 0.5 },
      artifacts: ["out/*.bin", "logs/**"],
    });
  });

  it.each([
    [
      { run: at("x"), gpu: at("-1", 6) },
      6,
      /gpu: expects a whole number of GPUs, got '-1'/,
    ],
    [{ run: at("x"), gpu: at("two", 7) }, 7, /got 'two'/],
    [
      { run: at("x"), accept: at("garbage", 8) },
      8,
      /accept: expects 'metric < number'/,
    ],
    [{ gpu: at("1", 9) }, 9, /a job needs a command: add '- run: <command>'/],
    [
      { run: at("x"), "gpu-mem": at("lots", 10) },
      10,
      /gpu-mem: expects a size/,
    ],
    [
      { run: at("x"), "time-limit": at("forever", 11) },
      11,
      /time-limit: expects a duration/,
    ],
    [
      { run: at("x"), artifacts: at("../secrets", 12) },
      12,
      /leaves the workspace/,
    ],
  ])("refuses %j at its line", (fields, line, message) => {
    const { spec, problems } = parseJobSpec(fields, 4);
    expect(spec).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(line);
    expect(problems[0]?.message).toMatch(message);
  });

  it("reads memory sizes", () => {
    expect(parseMemory("16000M")).toBe(16000);
    expect(parseMemory("1.5GiB")).toBe(1536);
    expect(parseMemory("0G")).toBeUndefined();
  });
});

describe("acceptance rules", () => {
  it("judges the final metrics", () => {
    const rule = parseAcceptRule("loss < 0.5");
    if (!rule.ok) throw new Error(rule.problem);
    expect(checkAccept(rule.rule, { step: 3000, loss: 0.21 })).toEqual({
      ok: true,
    });
    expect(checkAccept(rule.rule, { loss: 0.7 })).toEqual({
      ok: false,
      reason: "accept: loss < 0.5 — final loss is 0.7",
    });
    expect(checkAccept(rule.rule, { loss: "0.2" })).toEqual({
      ok: false,
      reason: `accept: loss < 0.5 — 'loss' is "0.2", not a number: write it unquoted`,
    });
    expect(checkAccept(rule.rule, { step: 1 })).toMatchObject({ ok: false });
    const ge = parseAcceptRule("accuracy >= 9e-1");
    expect(ge.ok && checkAccept(ge.rule, { accuracy: 0.9 }).ok).toBe(true);
  });
});

describe("metrics", () => {
  it("takes the last complete object, skipping a torn line and non-scalars", () => {
    const text =
      '{"step": 100, "loss": 0.42}\n{"step": 200, "loss": 0.3, "lr": [1]}\n{"step": 3';
    expect(lastMetrics(text)).toEqual({ step: 200, loss: 0.3 });
    expect(lastMetrics("garbage\n")).toBeUndefined();

    expect(formatMetrics({ step: 3000, loss: 0.2134567 })).toBe(
      "step 3000, loss 0.2135",
    );
  });
});

describe("a running job in status", () => {
  it("carries run id, GPUs and the end of its time limit in a trailer, and shows them in one line", () => {
    const gpus = parseGpuQuery(GPUS_CSV, new Set()).slice(1, 3);
    const start = new Date("2026-01-01T00:00:00Z");
    const trailer = jobInfoTrailer("train-abc", gpus, 3_600_000, start);
    const info = parseJobInfo(trailer);
    expect(info).toEqual({
      runId: "train-abc",
      gpus: [1, 2],
      until: "2026-01-01T01:00:00.000Z",
    });
    const at = new Date("2026-01-01T00:47:30Z");
    expect(
      formatRunningJob({ ...info, metrics: { step: 300, loss: 0.42 } }, at),
    ).toBe("GPUs 1,2 · run train-abc · step 300, loss 0.42 · 13m left");
    expect(formatRunningJob({ runId: "r", gpus: [] }, at)).toBe(
      "no GPU · run r · no metrics yet",
    );
    expect(parseJobInfo("not json")).toBeUndefined();
  });
});

describe("job files", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0))
      await rm(dir, { recursive: true, force: true });
  });

  it("keeps one run id per task and project, and exports the job environment", () => {
    expect(jobRunId("abc", "train")).toBe(jobRunId("abc", "train"));
    expect(jobRunId("abc", "train")).not.toBe(jobRunId("abd", "train"));
    const paths = jobPaths("/var/jobs", "abc", "train");
    const env = jobEnv(paths, parseGpuQuery(GPUS_CSV, new Set()).slice(1, 3));
    expect(env).toEqual({
      CUDA_VISIBLE_DEVICES: "1,2",
      CUDA_DEVICE_ORDER: "PCI_BUS_ID",
      GITSWARM_RUN_ID: paths.runId,
      GITSWARM_CHECKPOINT_DIR: path.join(
        "/var/jobs",
        paths.runId,
        "checkpoints",
      ),
      GITSWARM_METRICS_FILE: path.join(
        "/var/jobs",
        paths.runId,
        "metrics.jsonl",
      ),
    });
    expect(jobEnv(paths, []).CUDA_VISIBLE_DEVICES).toBe("");
  });

  it("names the invalid lines after the last metrics with their line in the whole file", async () => {
    const scan = scanMetrics('{"loss": 1}\n{"loss": .87}\n[1]\n', 10);
    expect(scan.metrics).toEqual({ loss: 1 });
    expect(scan.invalid.map((l) => [l.line, l.reason.split(" (")[0]])).toEqual([
      [12, "not a JSON object"],
      [11, "not JSON"],
    ]);
    const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-jobparts-"));
    dirs.push(dir);
    // Longer than the tail that is read: the line number must still count the whole file.
    const file = path.join(dir, "metrics.jsonl");
    const good = Array.from(
      { length: 3000 },
      (_, i) => `{"step": ${i}, "loss": 0.5}`,
    );
    await writeFile(file, `${good.join("\n")}\n{"step": 3000, "loss": .87}\n`);
    const read = await readMetricsFile(file);
    expect(read.metrics).toEqual({ step: 2999, loss: 0.5 });
    expect(describeInvalidLine(file, read.invalid[0]!)).toMatch(
      new RegExp(
        `^${file}:3001: not JSON \\(.*\\): \\{"step": 3000, "loss": \\.87\\}$`,
      ),
    );
  });

  it("reads metrics from a file and hashes artifacts", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-jobparts-"));
    dirs.push(dir);
    await writeFile(path.join(dir, "m.jsonl"), '{"step": 1, "loss": 2}\n');
    expect(await readLastMetrics(path.join(dir, "m.jsonl"))).toEqual({
      step: 1,
      loss: 2,
    });
    expect(
      await readLastMetrics(path.join(dir, "missing.jsonl")),
    ).toBeUndefined();
    await mkdir(path.join(dir, "out"));
    await writeFile(path.join(dir, "out", "model.bin"), "weights");
    await writeFile(path.join(dir, "out", "notes.txt"), "n");
    const entries = await buildArtifactManifest(dir, [
      "out/*.bin",
      "out/model.bin",
    ]);
    expect(entries).toEqual([
      {
        path: "out/model.bin",
        size: 7,
        sha256: createHash("sha256").update("weights").digest("hex"),
      },
    ]);
    expect(JSON.parse(renderManifest("train", entries))).toEqual({
      task: "train",
      artifacts: entries,
    });
  });
});
