/**
 * How a job's own ending is read, through the real `gitswarm run`: exit 75 is a preemption
 * (requeued, no attempt spent), a miss of `accept:` on the final metrics is a failed attempt with
 * the reason, and `time-limit:` stops a job that runs too long.
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  killEverything,
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

describe("a job's ending", () => {
  it(
    "requeues exit 75 at no cost, fails a missed accept: and a blown time-limit:",
    async () => {
      project = await makeJobProject(fakeGpus(1));
      // Preempted on its first start only (a marker file), then trains normally.
      const marker = path.join(project.root, "preempted-once");
      const preempt = path.join(project.root, "preempt.sh");
      await writeFile(
        preempt,
        `if [ ! -e ${marker} ]; then touch ${marker}; echo "node reclaimed" >&2; exit 75; fi\n${project.trainCommand(5, 10)}\n`,
      );
      const git = await writeJobRepo(
        project,
        [
          "# Progress",
          "",
          "- [ ] pre: Preempted once",
          `  - run: sh ${preempt}`,
          "  - gpu: 1",
          "- [ ] picky: Demands too much",
          `  - run: ${project.trainCommand(5, 10)}`,
          "  - gpu: 1",
          "  - accept: loss < 0.01",
          "- [ ] slow: Runs past its limit",
          `  - run: ${process.execPath} -e "setInterval(() => {}, 1000)"`,
          "  - time-limit: 2s",
          "",
        ].join("\n"),
        ["trainer"],
      );
      run = startRun(project.dir, project.env);
      await run.done;
      const events = run.events;
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "released",
          task: "pre",
          reason: expect.stringMatching(
            /^preempted: exit code 75: node reclaimed/,
          ),
        }),
      );
      expect(events).toContainEqual(
        expect.objectContaining({ type: "done", task: "pre", attempt: 1 }),
      );
      const picky = events.filter(
        (e) => e.type === "attempt-failed" && e.task === "picky",
      );
      expect(picky[0]).toMatchObject({
        attempt: 1,
        reason: "accept: loss < 0.01 — final loss is 0.167",
      });
      expect(events).toContainEqual(
        expect.objectContaining({ type: "blocked", task: "picky" }),
      );
      expect(
        events.find((e) => e.type === "attempt-failed" && e.task === "slow"),
      ).toMatchObject({
        reason: expect.stringMatching(/timed out|killed after 2000 ms/),
      });
      const progress = await git.run(["show", "main:PROGRESS.md"]);
      expect(progress).toContain("- [x] pre: Preempted once");
      expect(progress).toContain("- [ ] picky: Demands too much");
    },
    2 * 60_000,
  );
});
