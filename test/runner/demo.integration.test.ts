import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptedAgent } from "../../agents/local/scripted-agent.js";
import { availableAttempts } from "../../agents/local/scripted-plan.js";
import { Git } from "../../coordination/git/git.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import type { Task } from "../../coordination/progress/task.js";
import {
  applyRatchet,
  loadOracleConfig,
  readBaseline,
  runOracle,
  type OracleConfig,
} from "../../oracle/index.js";
import { loadConfig } from "../../runner/config.js";
import { prepareDemo, type DemoSetup } from "../../runner/demo.js";

// The demo's promise, checked with the real oracle on real clones: its repo starts with exactly the
// open tasks' cases failing, every deliberately wrong first attempt is rejected by the gate the
// runner applies (ratchet, then the task's own cases), every final attempt passes its task's cases,
// and all final attempts together pass the whole oracle.
describe("the offline demo (prepareDemo + scripted attempts + the real oracle)", () => {
  let base = "";
  let demo: DemoSetup;
  let tasks: Task[] = [];
  let config: OracleConfig;
  let clones = 0;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), "gitswarm-demo-test-"));
    demo = await prepareDemo({ baseDir: base });
    tasks = parseProgress(
      await readFile(path.join(demo.repoDir, "PROGRESS.md"), "utf8"),
    ).tasks.filter((task) => task.status === "open");
    config = await loadOracleConfig(demo.repoDir);
  });
  afterAll(async () => {
    if (base !== "") await rm(base, { recursive: true, force: true });
  });

  async function attemptsOf(taskId: string): Promise<number[]> {
    return availableAttempts(
      await readdir(path.join(demo.scriptDir, taskId)).catch(() => []),
    );
  }

  async function reviewScripted(taskId: string, attempt: number) {
    return readdir(path.join(demo.scriptDir, taskId)).then(
      (names) => names.includes(`review-attempt-${attempt}.json`),
      () => false,
    );
  }

  // A fresh clone of the demo repo with the final attempts of `deps` and then `attempt` of `task`
  // applied by the scripted agent. Clones live under the repo's ignored .gitswarm/, so sql.js
  // resolves through the demo's node_modules link exactly as in agent workspaces.
  async function cloneWith(
    steps: { task: string; attempt: number }[],
  ): Promise<string> {
    clones += 1;
    const dir = path.join(
      demo.repoDir,
      ".gitswarm",
      "test-clones",
      `c${clones}`,
    );
    await new Git(demo.repoDir).run(["clone", "--quiet", demo.repoDir, dir]);
    const agent = createScriptedAgent("scripted-test", demo.scriptDir, {
      thinkMs: 0,
    });
    for (const step of steps) {
      const task = tasks.find((t) => t.id === step.task);
      if (task === undefined) throw new Error(`no open task ${step.task}`);
      const notes = Array.from(
        { length: step.attempt - 1 },
        (_, i) => `released by x: attempt ${i + 1} failed: test`,
      );
      const outcome = await agent.work({
        workspaceDir: dir,
        task: { ...task, notes },
        context: {},
        budget: {},
        signal: new AbortController().signal,
      });
      expect(outcome).toMatchObject({
        kind: "finished",
        summary: `scripted: applied attempt ${step.attempt} for ${step.task}`,
      });
    }
    return dir;
  }

  // The scripted tasks `id` needs (transitively), dependencies first.
  function prerequisites(id: string): string[] {
    const task = tasks.find((t) => t.id === id);
    const open = (task?.needs ?? []).filter((need) =>
      tasks.some((t) => t.id === need),
    );
    return [...new Set(open.flatMap((need) => [...prerequisites(need), need]))];
  }

  async function finalSteps(ids: string[]) {
    return Promise.all(
      ids.map(async (task) => ({
        task,
        attempt: Math.max(...(await attemptsOf(task))),
      })),
    );
  }

  it("starts as a one-commit repo with a short lease, and a baseline that matches its candidate", async () => {
    expect(demo.agents.map((a) => a.name)).toContain(demo.killAgent);
    expect(demo.agents.every((a) => a.name.startsWith("scripted-"))).toBe(true);
    expect((await loadConfig(demo.repoDir)).lease).toBe(demo.leaseMs);
    expect(demo.leaseMs).toBeLessThanOrEqual(10_000);
    const git = new Git(demo.repoDir);
    expect((await git.run(["rev-list", "--count", "HEAD"])).trim()).toBe("1");
    expect(await git.run(["status", "--porcelain"])).toBe("");
    const report = await runOracle({
      repoDir: demo.repoDir,
      config,
      useCache: false,
    });
    const failing = report.cases
      .filter((c) => c.status !== "passed")
      .map((c) => c.id);
    const taskCases = tasks
      .flatMap((t) => t.cases)
      .filter((id) => report.cases.some((c) => c.id === id));
    expect(failing.sort()).toEqual([...taskCases].sort());
    expect((await readBaseline(demo.repoDir)).passing).toEqual(
      report.cases
        .filter((c) => c.status === "passed")
        .map((c) => c.id)
        .sort(),
    );
  });

  it("has a script for every open task, and the gate rejects every attempt but the last", async () => {
    const baseline = await readBaseline(demo.repoDir);
    const rejections = new Set<string>();
    for (const task of tasks) {
      const attempts = await attemptsOf(task.id);
      expect(attempts.length, `scripts for ${task.id}`).toBeGreaterThan(0);
      for (const attempt of attempts.slice(0, -1)) {
        // An attempt the demo's scripted reviewer turns down passes the oracle: the review rejects it.
        if (await reviewScripted(task.id, attempt)) continue;
        const dir = await cloneWith([
          ...(await finalSteps(prerequisites(task.id))),
          { task: task.id, attempt },
        ]);
        const report = await runOracle({
          repoDir: dir,
          config,
          useCache: false,
        });
        const ratchet = applyRatchet(baseline, report);
        const ownFailing = report.cases.filter(
          (c) => task.cases.includes(c.id) && c.status !== "passed",
        );
        expect(
          !ratchet.ok || ownFailing.length > 0,
          `${task.id} attempt ${attempt} is rejected`,
        ).toBe(true);
        rejections.add(ratchet.ok ? "task cases fail" : "ratchet");
      }
    }
    // Both kinds of rejection show in the demo: a regression (ratchet) and a task case still failing.
    expect([...rejections].sort()).toEqual(["ratchet", "task cases fail"]);
  });

  it("passes each task's cases with its final attempt, and the whole oracle with all of them", async () => {
    for (const task of tasks) {
      const dir = await cloneWith(
        await finalSteps([...prerequisites(task.id), task.id]),
      );
      const report = await runOracle({
        repoDir: dir,
        config: { ...config, cases: task.cases },
        useCache: false,
      });
      expect(report.cases.map((c) => [c.id, c.status])).toEqual(
        task.cases.map((id) => [id, "passed"]),
      );
    }
    const ordered = [
      ...new Set(tasks.flatMap((task) => [...prerequisites(task.id), task.id])),
    ];
    const dir = await cloneWith(await finalSteps(ordered));
    const report = await runOracle({ repoDir: dir, config, useCache: false });
    expect(
      report.failed,
      report.cases
        .filter((c) => c.status !== "passed")
        .map((c) => c.id)
        .join(", "),
    ).toBe(0);
    const ratchet = applyRatchet(await readBaseline(dir), report);
    expect(ratchet.ok && ratchet.raised).toEqual(
      tasks.flatMap((t) => t.cases).sort(),
    );
  });
});
