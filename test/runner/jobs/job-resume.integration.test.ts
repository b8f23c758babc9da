/**
 * A job across runner crashes and across runners: SIGKILL of `gitswarm run` mid-job, then a new run
 * resumes the job from its newest complete checkpoint with the same run id; two runners on one
 * host with one free GPU never run their jobs on it at once.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  agentPids,
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

const projects: JobProject[] = [];
const runs: RunningSwarm[] = [];

afterEach(async () => {
  for (const [i, project] of projects.entries())
    await killEverything(runs[i], project.dir);
  for (const project of projects.splice(0))
    await rm(project.root, { recursive: true, force: true });
  runs.splice(0);
});

const MINUTE = 60_000;

/** Polls `check` until it returns a value, failing after `ms`. */
async function until<T>(
  check: () => Promise<T | undefined>,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Whether a job of `root` still runs. Found by its command line, not the pid it logged: in the
 * sandbox that pid is its own PID namespace's.
 */
async function jobAlive(root: string): Promise<boolean> {
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(
      () => "",
    );
    if (cmdline.includes(path.join(root, "train.mjs"))) return true;
  }
  return false;
}

function lastStep(text: string): number {
  const lines = text.trim().split("\n").filter(Boolean);
  const last = lines.at(-1);
  return last === undefined ? 0 : (JSON.parse(last) as { step: number }).step;
}

describe("a job after SIGKILL of its runner", () => {
  it(
    "resumes from the newest complete checkpoint with the same run id",
    async () => {
      const project = await makeJobProject(fakeGpus(2, [1]));
      projects.push(project);
      const git = await writeJobRepo(
        project,
        [
          "# Progress",
          "",
          "- [ ] train: Fine-tune",
          `  - run: ${project.trainCommand(40, 150)}`,
          "  - gpu: 1",
          "",
        ].join("\n"),
        ["trainer"],
      );
      const first = startRun(project.dir, project.env);
      runs.push(first);
      const [seen] = await until(
        async () => {
          const s = await project.seen();
          return s.length > 0 ? s : undefined;
        },
        MINUTE,
        "the job to start",
      );
      const metricsFile = String(seen?.GITSWARM_METRICS_FILE);
      await until(
        async () =>
          lastStep(await readFile(metricsFile, "utf8").catch(() => "")) >= 12
            ? true
            : undefined,
        MINUTE,
        "step 12",
      );
      process.kill(first.pid, "SIGKILL");
      await first.done.catch(() => undefined);
      // Its agent notices the runner is gone and stops the job (SIGTERM, then the grace).
      await until(
        async () => ((await jobAlive(project.root)) ? undefined : true),
        MINUTE,
        "the orphaned job to stop",
      );
      const stoppedAt = lastStep(await readFile(metricsFile, "utf8"));
      expect(stoppedAt).toBeLessThan(40);
      // The stopping agent's last heartbeat carried the metrics: status --json shows them.
      await until(
        async () =>
          (await agentPids(project.dir)).length === 0 ? true : undefined,
        MINUTE,
        "the agent process to exit",
      );
      const status = await runCli(
        ["status", "--repo", project.dir, "--json"],
        project.env,
      );
      const train = (
        JSON.parse(status.stdout) as {
          tasks: {
            id: string;
            metrics: { step: number; loss: number } | null;
            job: { runId: string; gpus: number[]; until: string | null } | null;
          }[];
        }
      ).tasks.find((t) => t.id === "train");
      expect(train?.metrics?.step).toBeGreaterThanOrEqual(12);
      expect(train?.metrics?.step).toBeLessThanOrEqual(stoppedAt);
      // …and the job's run id and GPUs, as its environment had them.
      expect(train?.job).toEqual({
        runId: seen?.GITSWARM_RUN_ID,
        gpus: String(seen?.CUDA_VISIBLE_DEVICES).split(",").map(Number),
        until: null,
      });

      const second = startRun(project.dir, project.env);
      runs[0] = second;
      const end = await second.done;
      expect(end.exitCode, JSON.stringify(second.events.slice(-5))).toBe(0);
      const all = await project.seen();
      expect(all).toHaveLength(2);
      const resumed = all[1]!;
      // It continued from a checkpoint at or after step 10, not from 0; same run id and dirs.
      expect(resumed.start).toBeGreaterThanOrEqual(10);
      expect(resumed.start).toBeLessThanOrEqual(stoppedAt);
      expect(Number(resumed.start) % 5).toBe(0);
      expect(resumed.GITSWARM_RUN_ID).toBe(seen?.GITSWARM_RUN_ID);
      expect(resumed.GITSWARM_CHECKPOINT_DIR).toBe(
        seen?.GITSWARM_CHECKPOINT_DIR,
      );
      const steps = (await readFile(metricsFile, "utf8"))
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { step: number }).step);
      expect(steps.at(-1)).toBe(40);
      expect(steps.indexOf(Number(resumed.start) + 1)).toBeGreaterThan(0);
      expect(await git.run(["show", "main:PROGRESS.md"])).toContain(
        "- result: step 40, loss 0.024",
      );
    },
    3 * MINUTE,
  );
});

describe("two runners on one host with one free GPU", () => {
  it(
    "never run their jobs on it at once; both land on GPU 1",
    async () => {
      const a = await makeJobProject(fakeGpus(2, [0]));
      projects.push(a);
      const b = await makeJobProject(
        fakeGpus(2, [0]),
        a.env.GITSWARM_DEVICE_LEASE_DIR,
      );
      projects.push(b);
      const held = path.join(a.root, "gpu-1-held");
      for (const project of [a, b])
        await writeJobRepo(
          project,
          [
            "# Progress",
            "",
            "- [ ] job: Train",
            `  - run: ${project.trainCommand(10, 100, undefined, held)}`,
            "  - gpu: 1",
            "",
          ].join("\n"),
          ["trainer"],
          project.dir,
          // Both jobs hold the same file in a's root: lent to both sandboxes.
          [a.root],
        );
      runs.push(startRun(a.dir, a.env), startRun(b.dir, b.env));
      const ends = await Promise.all(runs.map((r) => r.done));
      // A job that found the GPU taken exits 1 at its exclusive file: both exiting 0 means one at a time.
      expect(ends.map((e) => e.exitCode)).toEqual([0, 0]);
      // …and at the first try: an overlap would be a failed attempt, retried.
      const failed = runs.flatMap((r) =>
        r.events.filter((e) => e.type === "attempt-failed"),
      );
      expect(failed).toEqual([]);
      const seen = [...(await a.seen()), ...(await b.seen())];
      expect(seen.map((s) => s.CUDA_VISIBLE_DEVICES)).toEqual(["1", "1"]);
    },
    2 * MINUTE,
  );
});
