/**
 * Issue 6, acceptance 3: a human edits PROGRESS.md in their own checkout while the swarm runs, as
 * in an editor (read the file, change it, write it back): a new task appended at the end gets
 * claimed and done, and a note typed under another task survives to the end of the run. The live
 * view's total follows the edit (issue 23): 7 tasks, not the 6 the run started with.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import {
  killEverything,
  runCli,
  startRun,
  type RunningSwarm,
} from "./support/cli-run.js";
import {
  historyProblems,
  readHubMain,
  type HubCommit,
} from "./support/hub-history.js";
import { makeTasks, taskEntry } from "./support/swarm-repo.js";
import { RunTally } from "../../runner/swarm/live-view.js";
import type { SwarmEvent } from "../../coordination/base/events.js";
import { createScenario, type Scenario } from "./support/swarm-scenario.js";

const NOTE = "  - note: typed by a human while the swarm ran";
const ADDED = { id: "h01", needs: ["t01"] };

describe("a human editing PROGRESS.md during gitswarm run", () => {
  let scenario: Scenario;
  let run: RunningSwarm | undefined;
  let hubDir = "";
  let history: HubCommit[] = [];
  let exitCode: number | null = null;

  beforeAll(async () => {
    scenario = await createScenario({
      tasks: makeTasks(6),
      api: ["openai"],
      cli: ["codex"],
      extraCases: [ADDED.id],
    });
    hubDir = path.join(scenario.repo.dir, ".gitswarm", "hub.git");
    const openai = scenario.models[0];
    if (openai === undefined) throw new Error("no openai model");
    // Holding the API agent's first task keeps the run going until the edit has reached the hub.
    const held = openai.holdNext();
    run = startRun(scenario.repo.dir, scenario.env);
    await held.reached;
    const file = path.join(scenario.repo.dir, "PROGRESS.md");
    const text = await readFile(file, "utf8");
    const edited = `${text.replace(/^(- \[[ x]\] t06: .*)$/m, `$1\n${NOTE}`)}${taskEntry(ADDED)}`;
    expect(edited).toContain(NOTE);
    await writeFile(file, edited);
    await run.waitFor(
      (e) => e.type === "progress-sync" && e.source === "human",
      60_000,
      "the edit synced to the hub",
    );
    held.release();
    exitCode = (await run.done).exitCode;
    history = await readHubMain(hubDir);
  }, 300_000);

  afterAll(async () => {
    await killEverything(run, scenario.repo.dir);
    await scenario.cleanup();
  });

  it("did the task the human added, after its dependency, exactly once", () => {
    expect(exitCode).toBe(0);
    expect(run?.events.find((e) => e.type === "run-end")).toMatchObject({
      state: "finished",
      tasksDone: 7,
    });
    expect(
      historyProblems(
        history,
        [...scenario.repo.tasks, ADDED],
        new Set([scenario.repo.seed]),
      ),
    ).toEqual([]);
  });

  it("counted the added task in the live view's total as soon as the edit landed", () => {
    const events = (run?.events ?? []) as SwarmEvent[];
    const synced = events.findIndex(
      (e) => e.type === "progress-sync" && e.source === "human",
    );
    const counted = events.findIndex(
      (e) => e.type === "tasks" && e.total === 7,
    );
    expect(synced).toBeGreaterThanOrEqual(0);
    expect(counted).toBeGreaterThan(synced);
    // Emitted by the same sync that pushed the edit (not a later 2 s tick): the next redraw (every
    // 500 ms) shows it. The bound is the tick, with room for a loaded machine.
    const gapMs =
      Date.parse(events[counted]?.time ?? "") -
      Date.parse(events[synced]?.time ?? "");
    expect(gapMs).toBeLessThan(2_000);
    const tally = new RunTally();
    for (const e of events.slice(0, counted + 1)) tally.apply(e);
    expect(tally.tasksDone().total).toBe(7);
  });

  it("recorded the edit as the human’s own progress commit", () => {
    expect(
      history.some(
        (c) =>
          c.action === "progress" && c.subject === "progress: edit by Tess-Ter",
      ),
    ).toBe(true);
  });

  it("kept the typed note on the hub and in the user’s checkout, under its task", async () => {
    const hubText = await new Git(hubDir).run(["show", "main:PROGRESS.md"]);
    expect(hubText).toMatch(
      /^- \[x\] t06: .*\n(?: {2}- .*\n)*? {2}- note: typed by a human while the swarm ran$/m,
    );
    expect(
      await readFile(path.join(scenario.repo.dir, "PROGRESS.md"), "utf8"),
    ).toBe(hubText);
  });

  it("passes the whole oracle at the end, the added task’s case included", async () => {
    const oracle = await runCli(["oracle", "--repo", scenario.repo.dir]);
    expect(oracle.code, oracle.stdout + oracle.stderr).toBe(0);
    expect(oracle.stdout).toMatch(/7 passed, 0 failed/);
  });
});
