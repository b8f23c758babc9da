/**
 * Issue 19, item 2: a human's save of PROGRESS.md that looks like an accident is held, not pushed,
 * while a real swarm runs: a save cut off mid-line (and left without tasks), and an editor's stale
 * buffer saved over a check-off the runner had just written back. Each is named in the run's events
 * and in `gitswarm progress held`; editing again sends the fixed file; `gitswarm progress accept`
 * confirms a held edit. The hub's PROGRESS.md never loses a task and no task is done twice.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import {
  killEverything,
  runCli,
  startRun,
  type RunEvent,
  type RunningSwarm,
} from "./support/cli-run.js";
import {
  historyProblems,
  readHubMain,
  type HubCommit,
} from "./support/hub-history.js";
import { makeTasks } from "./support/swarm-repo.js";
import { createScenario, type Scenario } from "./support/swarm-scenario.js";
import { waitUntil } from "./support/wait.js";

const STALE_NOTE = "  - note: typed into a stale editor buffer";
const isHeld = (pattern: RegExp) => (e: RunEvent) =>
  e.type === "progress-sync" &&
  e.source === "held" &&
  pattern.test(String(e.message));

describe("held edits of PROGRESS.md during gitswarm run", () => {
  let scenario: Scenario;
  let run: RunningSwarm | undefined;
  let hubDir = "";
  let history: HubCommit[] = [];
  let exitCode: number | null = null;
  let first = "";
  const hubTaskCounts: number[] = [];
  let heldCli = { code: null as number | null, stdout: "" };
  let acceptCli = { code: null as number | null, stdout: "" };
  let hubAfterStale = "";

  beforeAll(async () => {
    scenario = await createScenario({
      tasks: makeTasks(4),
      api: ["openai"],
      cli: [],
      lease: "30s",
    });
    const dir = scenario.repo.dir;
    hubDir = path.join(dir, ".gitswarm", "hub.git");
    const hub = new Git(hubDir);
    const file = path.join(dir, "PROGRESS.md");
    const openai = scenario.models[0];
    if (openai === undefined) throw new Error("no openai model");
    const hold1 = openai.holdNext();
    run = startRun(dir, scenario.env);
    first = await hold1.reached;
    const original = await readFile(file, "utf8");

    // 1. A save cut off mid-line at two thirds: held, named, listed by `progress held`.
    let cut = Math.floor((original.length * 2) / 3);
    while (original[cut - 1] === "\n") cut -= 1;
    await writeFile(file, original.slice(0, cut));
    await run.waitFor(
      isHeld(/stops mid-line/),
      60_000,
      "the cut-off save held",
    );
    heldCli = await runCli(["progress", "held", "--repo", dir]);
    // The human notices and puts the file back.
    await writeFile(file, original);

    // 2. The first task lands and the runner writes the check-off into the file; then a stale
    //    buffer (the text from before it) is saved with a note added.
    hold1.release();
    const hold2 = openai.holdNext();
    await run.waitFor(
      (e) => e.type === "done" && e.task === first,
      120_000,
      `${first} done`,
    );
    await waitUntil(
      async () => (await readFile(file, "utf8")).includes(`- [x] ${first}:`),
      60_000,
      "the check-off written back into the checkout",
    );
    const stale = original.replace(
      `- [ ] ${first}: Implement ${first}\n`,
      `- [ ] ${first}: Implement ${first}\n${STALE_NOTE}\n`,
    );
    await writeFile(file, stale);
    await run.waitFor(
      isHeld(new RegExp(`unchecks ${first}, done on the hub`)),
      60_000,
      "the stale buffer held",
    );
    hubAfterStale = await hub.run(["show", "main:PROGRESS.md"]);

    // 3. Editing again (the check-off kept) sends the note.
    await writeFile(file, stale.replace(`- [ ] ${first}:`, `- [x] ${first}:`));
    await waitUntil(
      async () =>
        (await hub.run(["show", "main:PROGRESS.md"])).includes(STALE_NOTE),
      60_000,
      "the fixed edit on the hub",
    );

    // 4. Dropping the Tasks heading is held until `gitswarm progress accept`.
    const current = await readFile(file, "utf8");
    await writeFile(file, current.replace("## Tasks\n", "## Work items\n"));
    await run.waitFor(
      isHeld(/drops the '## Tasks' heading/),
      60_000,
      "the heading edit held",
    );
    acceptCli = await runCli(["progress", "accept", "--repo", dir]);
    await waitUntil(
      async () =>
        (await hub.run(["show", "main:PROGRESS.md"])).includes("## Work items"),
      60_000,
      "the accepted edit on the hub",
    );
    hold2.release();
    exitCode = (await run.done).exitCode;
    history = await readHubMain(hubDir);
    for (const commit of (await hub.run(["rev-list", "main"])).split("\n")) {
      if (commit === "") continue;
      const text = await hub.run(["show", `${commit}:PROGRESS.md`]);
      hubTaskCounts.push(parseProgress(text).tasks.length);
    }
  }, 300_000);

  afterAll(async () => {
    await killEverything(run, scenario.repo.dir);
    await scenario.cleanup();
  });

  it("said what was wrong with the cut-off save and how to confirm it", () => {
    const held = run?.events.find(isHeld(/stops mid-line/));
    expect(String(held?.message)).toMatch(/gitswarm progress accept/);
    expect(heldCli.code).toBe(1);
    expect(heldCli.stdout).toMatch(/stops mid-line after \d+ of/);
  });

  it("never let the hub's PROGRESS.md lose a task", () => {
    expect(hubTaskCounts.length).toBeGreaterThan(4);
    expect(hubTaskCounts.every((n) => n === 4)).toBe(true);
  });

  it("kept the check-off on the hub when the stale buffer was saved", () => {
    expect(hubAfterStale).toContain(`- [x] ${first}:`);
    expect(hubAfterStale).not.toContain(STALE_NOTE);
  });

  it("sent the heading edit once accepted", () => {
    expect(acceptCli.code).toBe(0);
    expect(acceptCli.stdout).toMatch(/drops the '## Tasks' heading/);
  });

  it("finished with every task done exactly once", () => {
    expect(exitCode).toBe(0);
    expect(
      historyProblems(
        history,
        scenario.repo.tasks,
        new Set([scenario.repo.seed]),
      ),
    ).toEqual([]);
  });
});
