import { describe, expect, it } from "vitest";
import { checkOffTask } from "../../../coordination/progress/edit.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { validateProgress } from "../../../coordination/progress/validate.js";
import {
  canTake,
  type SchedulingContext,
} from "../../../runner/agent/scheduler.js";
import { tooBigReason, type JobHost } from "../../../runner/jobs/job-host.js";
import { applyGpuConfig } from "../../../runner/jobs/gpu-inventory.js";

const PROGRESS = [
  "# Progress", // 1
  "", // 2
  "- [ ] small: One GPU", // 3
  "  - run: `python train.py`", // 4
  "  - gpu: 1", // 5
  "  - time-limit: 6h", // 6
  "  - accept: loss < 0.5", // 7
  "  - artifacts: out/*.bin", // 8
  "- [ ] toobig: Three GPUs", // 9
  "  - run: python big.py", // 10
  "  - gpu: 3", // 11
  "",
].join("\n");

const host = (gpus: number): JobHost => ({
  inventory: applyGpuConfig([], gpus),
  leaseDir: "/nowhere",
  jobsRoot: "/nowhere",
  rootCommit: "abc",
  stopGraceMs: 1000,
});

describe("job tasks in PROGRESS.md", () => {
  it("carries each job key with its line", () => {
    const [small] = parseProgress(PROGRESS).tasks;
    expect(small?.run).toBe("python train.py");
    expect(small?.gpu).toBe(1);
    expect(small?.job).toEqual({
      run: { value: "python train.py", line: 4 },
      gpu: { value: "1", line: 5 },
      "time-limit": { value: "6h", line: 6 },
      accept: { value: "loss < 0.5", line: 7 },
      artifacts: { value: "out/*.bin", line: 8 },
    });
    expect(validateProgress(parseProgress(PROGRESS))).toEqual([]);
  });

  it("checks a job off with one result line the parser reads back, replacing an older one", () => {
    const once = checkOffTask(
      parseProgress(PROGRESS),
      "small",
      "step 30, loss 0.2",
    );
    const doc = parseProgress(once);
    expect(doc.lines[2]).toBe("- [x] small: One GPU");
    expect(doc.lines[8]).toBe("  - result: step 30, loss 0.2");
    expect(doc.tasks[0]?.result).toBe("step 30, loss 0.2");
    const reopened = once.replace("- [x] small", "- [ ] small");
    const twice = checkOffTask(
      parseProgress(reopened),
      "small",
      "step 60, loss 0.1",
    );
    expect(twice.match(/result:/g)).toHaveLength(1);
    expect(twice).toContain("  - result: step 60, loss 0.1");
  });
});

describe("scheduling job tasks by GPU count", () => {
  const [small, toobig] = parseProgress(PROGRESS).tasks;
  const runner = {
    name: "r",
    kind: "command",
    capabilities: [],
    jobsOnly: true,
  };
  const context = (hostGpus?: number): SchedulingContext => ({
    swarmCapabilities: new Set(),
    routing: {},
    hostGpus,
  });

  it("fits a job when the host has enough GPUs, whatever the capabilities say", () => {
    expect(canTake(runner, small!, context(2))).toBe(true);
    expect(canTake(runner, toobig!, context(2))).toBe(false);
    expect(canTake(runner, toobig!, context(4))).toBe(true);
    // Without an inventory, the old `gpu` capability rule applies.
    expect(canTake(runner, small!, context())).toBe(false);
  });

  it("names a task the host can never run", () => {
    expect(tooBigReason(toobig!, host(2))).toBe(
      "toobig needs 3 GPUs; this host has 2",
    );
    expect(tooBigReason(toobig!, host(0))).toBe(
      "toobig needs 3 GPUs; this host has 0",
    );
    expect(tooBigReason(small!, host(2))).toBeUndefined();
    expect(tooBigReason(toobig!, undefined)).toBeUndefined();
  });

  it("counts only GPUs with the memory gpu-mem: asks for", async () => {
    const { parseGpuQuery } =
      await import("../../../runner/jobs/gpu-inventory.js");
    const { leaseTaskGpus } = await import("../../../runner/jobs/job-host.js");
    const doc = parseProgress(
      "- [ ] big: Big model\n  - run: python big.py\n  - gpu: 1\n  - gpu-mem: 40G\n",
    );
    const big = doc.tasks[0]!;
    const gpus = (csv: string): JobHost => ({
      ...host(0),
      inventory: { source: "nvidia-smi", gpus: parseGpuQuery(csv, new Set()) },
    });
    const small = gpus(
      "0, GPU-s0, T4, 15360, 0, 0\n1, GPU-s1, T4, 15360, 0, 0",
    );
    expect(tooBigReason(big, small)).toBe(
      "big needs 1 GPU with 40960 MiB each; this host has 0",
    );
    expect(await leaseTaskGpus(small, big)).toEqual({
      ok: false,
      message: "big needs 1 free GPU(s); 0 free on this host now",
    });
    const mixed = gpus(
      "0, GPU-s0, T4, 15360, 0, 0\n1, GPU-h1, H100, 81559, 0, 0",
    );
    expect(tooBigReason(big, mixed)).toBeUndefined();
  });
});

describe("merging a job task's keys", () => {
  it("keeps ours' result: and turns theirs' into a merge note, like run:", async () => {
    const { mergeTaskBlock } =
      await import("../../../coordination/progress/merge-task.js");
    const base = ["- [ ] t: T", "  - run: a"];
    const ours = [...base, "  - result: step 30, loss 0.2"];
    const theirs = [...base, "  - result: step 60, loss 0.1"];
    expect(mergeTaskBlock(base, ours, theirs)).toEqual([
      "- [ ] t: T",
      "  - run: a",
      "  - result: step 30, loss 0.2",
      "  - note: (merge) other result: step 60, loss 0.1",
    ]);
  });
});
