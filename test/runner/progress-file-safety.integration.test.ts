/**
 * Issue 19, item 1: the runner never empties or half-writes the user's PROGRESS.md. While a whole
 * swarm runs and writes the hub's check-offs back into the checkout, two real processes work on the
 * file: a reader that reads it as fast as it can, and a `sed -i` loop editing its heading line (as
 * a human's tool would). The reader must never see it missing, empty or cut short; the file must
 * end whole; and every task is still done exactly once.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decode,
  runProcess,
  type SpawnResult,
} from "../../coordination/base/spawn.js";
import {
  killEverything,
  startRun,
  type RunningSwarm,
} from "./support/cli-run.js";
import {
  historyProblems,
  readHubMain,
  type HubCommit,
} from "./support/hub-history.js";
import { makeTasks } from "./support/swarm-repo.js";
import { createScenario, type Scenario } from "./support/swarm-scenario.js";

const TASKS = Number(process.env.PROGRESS_SAFETY_TASKS ?? 4);

// Reads until STOP exists; a read is bad when the file is missing, does not end in a newline, or
// lacks a task id. One short pause per read keeps a loaded machine responsive.
const READER = `
const fs = require("node:fs");
const [file, stop, idsText] = process.argv.slice(1);
const ids = idsText.split(",");
const pause = new Int32Array(new SharedArrayBuffer(4));
let reads = 0;
const bad = [];
while (!fs.existsSync(stop)) {
  let text;
  try { text = fs.readFileSync(file, "utf8"); } catch (e) { bad.push(e.code); continue; }
  reads += 1;
  if (!text.endsWith("\\n") || ids.some((id) => !text.includes("] " + id + ":"))) bad.push(text.length);
  Atomics.wait(pause, 0, 0, 2);
}
process.stdout.write(JSON.stringify({ reads, bad: bad.length, samples: bad.slice(0, 10) }));
`;

// Mostly no-op rewrites (sed -i still reads the whole file and renames a new one over it, which
// is what emptied the file when the runner truncated it in place); every 20th changes the heading,
// a real human edit that the runner must merge and push.
const SED_LOOP = `n=0; while [ ! -e "$2" ]; do n=$((n+1)); if [ $((n % 20)) -eq 0 ]; then sed -i "s/^# Progress.*/# Progress (edited $n)/" "$1" || exit 1; else sed -i "s/^# Progress/# Progress/" "$1" || exit 1; fi; sleep 0.5; done; echo $n`;

describe("the user's PROGRESS.md during a run, read and sed-edited meanwhile", () => {
  let scenario: Scenario;
  let run: RunningSwarm | undefined;
  let history: HubCommit[] = [];
  let exitCode: number | null = null;
  let reader: SpawnResult | undefined;
  let sed: SpawnResult | undefined;
  let finalText = "";

  beforeAll(async () => {
    scenario = await createScenario({
      tasks: makeTasks(TASKS),
      api: ["openai"],
      cli: ["codex"],
      // Long enough that heartbeats keep up on a machine at load 20; no lock is broken here.
      lease: "30s",
    });
    const dir = scenario.repo.dir;
    const file = path.join(dir, "PROGRESS.md");
    const stop = path.join(scenario.repo.root, "stop");
    const ids = scenario.repo.tasks.map((t) => t.id).join(",");
    const readerDone = runProcess(
      process.execPath,
      ["-e", READER, file, stop, ids],
      { cwd: scenario.repo.root, env: {}, timeoutMs: 280_000 },
    );
    const sedDone = runProcess(
      "bash",
      ["-c", SED_LOOP, "sed-loop", file, stop],
      {
        cwd: scenario.repo.root,
        env: {},
        timeoutMs: 280_000,
      },
    );
    run = startRun(dir, scenario.env);
    exitCode = (await run.done).exitCode;
    if (process.env.PROGRESS_SAFETY_DEBUG)
      await writeFile(process.env.PROGRESS_SAFETY_DEBUG, run.events.map((e) => JSON.stringify(e)).join("\n"));
    await writeFile(stop, "");
    [reader, sed] = await Promise.all([readerDone, sedDone]);
    finalText = await readFile(file, "utf8");
    history = await readHubMain(path.join(dir, ".gitswarm", "hub.git"));
  }, 300_000);

  afterAll(async () => {
    await killEverything(run, scenario.repo.dir);
    await scenario.cleanup();
  });

  it("never let the reader see the file missing, empty or cut short", () => {
    expect(reader?.exitCode, decode(reader?.stderr ?? new Uint8Array())).toBe(
      0,
    );
    const report = JSON.parse(decode(reader?.stdout ?? new Uint8Array())) as {
      reads: number;
      bad: number;
      samples: unknown[];
    };
    expect(report.reads).toBeGreaterThan(100);
    expect(report.samples).toEqual([]);
    expect(report.bad).toBe(0);
  });

  it("kept every sed -i edit working on a whole file, and the file ends whole", () => {
    expect(sed?.exitCode, decode(sed?.stderr ?? new Uint8Array())).toBe(0);
    expect(
      Number(decode(sed?.stdout ?? new Uint8Array()).trim()),
    ).toBeGreaterThan(5);
    expect(finalText).toMatch(/^# Progress( \(edited \d+\))?\n/);
    for (const task of scenario.repo.tasks)
      expect(finalText).toContain(`] ${task.id}: Implement ${task.id}`);
  });

  it("finished the run with every task done exactly once", () => {
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
