/**
 * Job tasks through the real `gitswarm run` (its own process, agent processes, a real bare hub):
 * a fake nvidia-smi on PATH, a tiny Node training script that checkpoints and resumes.
 */
import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  killEverything,
  runCli,
  startRun,
  type RunningSwarm,
} from "../support/cli-run.js";
import {
  fakeGpus,
  makeJobProject,
  writeJobRepo,
  type JobProject,
} from "./support/job-fixture.js";

let project: JobProject | undefined;
let run: RunningSwarm | undefined;

afterEach(async () => {
  if (project) await killEverything(run, project.dir);
  if (project) await rm(project.root, { recursive: true, force: true });
  project = undefined;
  run = undefined;
});

const MINUTE = 60_000;

describe("a gpu: 1 job", () => {
  it(
    "runs on a free GPU with the job env; the result line, manifest and GPU UUID land",
    async () => {
      project = await makeJobProject(fakeGpus(2, [0]));
      const git = await writeJobRepo(
        project,
        [
          "# Progress",
          "",
          "- [ ] train: Fine-tune the model",
          `  - run: ${project.trainCommand(12, 20)}`,
          "  - gpu: 1",
          "  - accept: loss < 0.5",
          "  - artifacts: out/*.bin, out/notes.txt",
          "",
        ].join("\n"),
        ["trainer"],
      );
      run = startRun(project.dir, project.env);
      const end = await run.done;
      expect(end.exitCode, JSON.stringify(run.events.slice(-5))).toBe(0);
      const [seen] = await project.seen();
      expect(seen).toMatchObject({
        task: "train",
        start: 0,
        CUDA_VISIBLE_DEVICES: "1",
        CUDA_DEVICE_ORDER: "PCI_BUS_ID",
      });
      expect(seen?.GITSWARM_RUN_ID).toMatch(/^train-[0-9a-f]{12}$/);
      expect(seen?.GITSWARM_CHECKPOINT_DIR).toBe(
        path.join(
          project.jobsRoot,
          String(seen?.GITSWARM_RUN_ID),
          "checkpoints",
        ),
      );
      const progress = await git.run(["show", "main:PROGRESS.md"]);
      expect(progress).toContain("- [x] train: Fine-tune the model");
      expect(progress).toContain("  - result: step 12, loss 0.077");
      const manifest = JSON.parse(
        await git.run(["show", "main:artifacts/train.json"]),
      ) as { artifacts: { path: string; size: number; sha256: string }[] };
      expect(manifest.artifacts.map((a) => a.path)).toEqual([
        "out/model.bin",
        "out/notes.txt",
      ]);
      const bin = manifest.artifacts[0]!;
      expect(bin.size).toBe(4096);
      expect(bin.sha256).toBe(
        createHash("sha256").update(Buffer.alloc(4096, 7)).digest("hex"),
      );
      // The large files never land; the lock recorded the GPU it leased.
      const tree = await git.run(["ls-tree", "-r", "--name-only", "main"]);
      expect(tree).not.toContain("out/model.bin");
      const hub = path.join(project.dir, ".gitswarm", "hub.git");
      const locks = await runCliGit(hub, [
        "log",
        "-p",
        "--format=%s",
        "refs/swarm/tasks/train",
      ]);
      expect(locks).toMatch(/gpus: "GPU-fake-1"/);
    },
    2 * MINUTE,
  );
});

describe("two gpu: 1 jobs and a gpu: 3 job on a 2-GPU host", () => {
  it(
    "runs the two at once on different GPUs and never claims the big one, saying why",
    async () => {
      project = await makeJobProject(fakeGpus(2));
      const barrier = path.join(project.root, "barrier");
      await (await import("node:fs/promises")).mkdir(barrier);
      await writeJobRepo(
        project,
        [
          "# Progress",
          "",
          "- [ ] ja: Job A",
          `  - run: ${project.trainCommand(5, 10, barrier)}`,
          "  - gpu: 1",
          "- [ ] jb: Job B",
          `  - run: ${project.trainCommand(5, 10, barrier)}`,
          "  - gpu: 1",
          "- [ ] toobig: Needs a bigger box",
          `  - run: ${project.trainCommand(5, 10)}`,
          "  - gpu: 3",
          "",
        ].join("\n"),
        ["runner-a", "runner-b"],
      );
      run = startRun(project.dir, project.env);
      const end = await run.done;
      const seen = await project.seen();
      // The barrier makes each job wait for the other: both ran at once or the job exits 3.
      expect(seen.map((s) => s.task).sort()).toEqual(["ja", "jb"]);
      expect(seen.map((s) => s.CUDA_VISIBLE_DEVICES).sort()).toEqual([
        "0",
        "1",
      ]);
      expect(
        run.events
          .filter((e) => e.type === "done")
          .map((e) => e.task)
          .sort(),
      ).toEqual(["ja", "jb"]);
      expect(
        run.events.some((e) => e.type === "claim" && e.task === "toobig"),
      ).toBe(false);
      expect(run.events).toContainEqual(
        expect.objectContaining({
          type: "unschedulable",
          task: "toobig",
          reason: "toobig needs 3 GPUs; this host has 2",
        }),
      );
      expect(end.exitCode).not.toBeNull();
    },
    2 * MINUTE,
  );
});

describe("a run with only a job too big for the host", () => {
  it(
    "ends, and its summary says which task and why",
    async () => {
      project = await makeJobProject(fakeGpus(2));
      await writeJobRepo(
        project,
        [
          "# Progress",
          "",
          "- [ ] toobig: Big",
          "  - run: true",
          "  - gpu: 3",
          "",
        ].join("\n"),
        ["trainer"],
      );
      const result = await runCli(["run", "--repo", project.dir], project.env);
      expect(result.stdout).toContain(
        "Never claimed: toobig needs 3 GPUs; this host has 2",
      );
      // Not "still open": running gitswarm again on this host would not run it either.
      expect(result.stdout).not.toContain("Still open: toobig");
      expect(result.stdout).toContain(
        "Nothing was done: cannot run here: toobig needs 3 GPUs; this host has 2.",
      );
      expect(result.code).toBe(1);
    },
    MINUTE,
  );
});

describe("bad job specs", () => {
  it.each([
    ["  - gpu: -1", 5, "gpu: expects a whole number of GPUs, got '-1'"],
    ["  - gpu: two", 5, "gpu: expects a whole number of GPUs, got 'two'"],
    ["  - accept: garbage", 5, "accept:"],
  ])(
    "%s → exit 2 naming PROGRESS.md:line",
    async (line, at, message) => {
      project = await makeJobProject(fakeGpus(1));
      await writeJobRepo(
        project,
        ["# Progress", "", "- [ ] job: A job", "  - run: true", line, ""].join(
          "\n",
        ),
        ["trainer"],
      );
      const result = await runCli(["run", "--repo", project.dir], project.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`PROGRESS.md:${at}: ${message}`);
    },
    MINUTE,
  );

  it(
    "a gpu: job without run: → exit 2 naming its line",
    async () => {
      project = await makeJobProject(fakeGpus(1));
      await writeJobRepo(
        project,
        ["# Progress", "", "- [ ] job: A job", "  - gpu: 1", ""].join("\n"),
        ["trainer"],
      );
      const result = await runCli(["run", "--repo", project.dir], project.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        "PROGRESS.md:4: a job needs a command: add '- run: <command>'",
      );
    },
    MINUTE,
  );
});

async function runCliGit(dir: string, args: string[]): Promise<string> {
  const { Git } = await import("../../../coordination/git/git.js");
  return new Git(dir).run(args);
}

describe("gitswarm doctor", () => {
  it(
    "lists the GPUs nvidia-smi reports, busy ones marked, and says none without it",
    async () => {
      project = await makeJobProject(fakeGpus(2, [0]));
      await writeJobRepo(project, "# Progress\n\n- [ ] a: A\n", ["trainer"]);
      const seen = await runCli(["doctor", "--repo", project.dir], project.env);
      expect(seen.stdout).toContain("GPUs (nvidia-smi): 2");
      expect(seen.stdout).toMatch(/0 {2}GPU-fake-0 .*busy/);
      expect(seen.stdout).toMatch(
        /1 {2}GPU-fake-1 {2}NVIDIA Fake 80GB {2}0\/81559 MiB\n/,
      );
      const none = await runCli(["doctor", "--repo", project.dir], {
        PATH: path.dirname(process.execPath) + ":/usr/bin:/bin",
      });
      expect(none.stdout).toContain("GPUs: none (no GPU found");
    },
    MINUTE,
  );
});
