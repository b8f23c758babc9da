/**
 * Soak: 8 agent processes claim and finish 24 tasks (100 with GITSWARM_SOAK=1) while a human
 * process edits PROGRESS.md every few hundred milliseconds (notes, prose, new tasks the agents
 * must finish too). Every task is done exactly once and after its dependencies, every human edit
 * survives, and no git command ever stops on a conflict: the structural merge driver is
 * registered in every clone.
 */
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import {
  MERGE_ATTRIBUTES,
  installMergeDriver,
} from "../../coordination/git/guard/merge-driver-setup.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import { readTrailers } from "../../coordination/git/trailers.js";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import { soakSize } from "../support/soak-size.js";
import type { HumanReport } from "../support/human-editor.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../support/swarm-fixture.js";
import {
  killAllWorkers,
  startWorker,
  stopWorkers,
  type Worker,
} from "../../scripts/bench/worker-pool.js";

// Modest by default; GITSWARM_SOAK=1 for the full size, or set each: GITSWARM_SOAK_TASKS=100 GITSWARM_SOAK_EDITS=40
const AGENTS = 8;
const TASKS = soakSize(100, 24, process.env.GITSWARM_SOAK_TASKS);
const HUMAN_EDITS = soakSize(40, 10, process.env.GITSWARM_SOAK_EDITS);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HUMAN = fileURLToPath(
  new URL("../support/human-editor.ts", import.meta.url),
);

const ids = Array.from(
  { length: TASKS },
  (_, i) => `t${String(i).padStart(3, "0")}`,
);
// Eight chains, with a cross-link every fifth task: enough parallelism for eight agents.
const needsOf = (i: number) =>
  [i - 8, i % 5 === 0 ? i - 3 : -1]
    .filter((j) => j >= 0)
    .map((j) => ids[j] ?? "");
const progress = [
  "# Progress",
  "",
  "The soak swarm: agents finish tasks while a human edits this file.",
  "",
  "## Tasks",
  "",
  ...ids.flatMap((id, i) => [
    `- [ ] ${id}: Task ${i}`,
    ...(needsOf(i).length ? [`  - needs: ${needsOf(i).join(", ")}`] : []),
  ]),
  "",
].join("\n");

let swarm: SwarmFixture | undefined;
let workers: Worker[] = [];
afterAll(async () => {
  killAllWorkers();
  await stopWorkers(workers);
  await swarm?.cleanup();
});

it(`${AGENTS} agents finish ${TASKS} tasks while a human edits PROGRESS.md: each done once, no edit lost, no conflict`, async () => {
  swarm = await createSwarmFixture({
    "PROGRESS.md": progress,
    ".gitattributes": `${MERGE_ATTRIBUTES.join("\n")}\n`,
  });
  const clones = await Promise.all(
    Array.from({ length: AGENTS }, (_, i) => swarm!.clone(`agent-${i}`)),
  );
  for (const ws of clones)
    await installMergeDriver(ws.dir, { writeAttributes: false });
  workers = clones.map((ws, i) => startWorker(ws.dir, `agent-${i}`));
  const humanWs = await swarm.clone("human");
  const human = runProcess(
    process.execPath,
    ["--import", "tsx", HUMAN, humanWs.dir, String(HUMAN_EDITS)],
    {
      cwd: ROOT,
      timeoutMs: 1_500_000,
    },
  );

  const first = await Promise.all(workers.map((w) => w.send("loop")));
  const humanRun = await human;
  expect(humanRun.exitCode, decode(humanRun.stderr)).toBe(0);
  const report = JSON.parse(decode(humanRun.stdout)) as HumanReport;
  // Tasks the human added after the agents ran out of work: one more loop finishes them.
  const second = await Promise.all(workers.map((w) => w.send("loop")));
  expect([...first, ...second].filter((r) => r.error)).toEqual([]);

  expect(report.conflicts).toEqual([]);
  expect(report.edits).toHaveLength(HUMAN_EDITS);
  const finalText = await swarm.hub.run(["show", "main:PROGRESS.md"]);
  const final = parseProgress(finalText);
  expect(final.problems).toEqual([]);
  expect(finalText).not.toMatch(/^(<<<<<<<|>>>>>>>|=======)/m);

  // Every human edit is in the final file, where the human put it.
  const byId = new Map(final.tasks.map((t) => [t.id, t]));
  for (const made of report.edits) {
    if (made.kind === "note")
      expect(byId.get(made.task)?.notes, JSON.stringify(made)).toContain(
        made.text,
      );
    if (made.kind === "prose") expect(final.lines).toContain(made.text);
    if (made.kind === "task")
      expect(byId.get(made.task)?.needs, JSON.stringify(made)).toEqual(
        made.needs,
      );
  }

  // Every task, the human's included, done exactly once, each after everything it needs.
  const allIds = final.tasks.map((t) => t.id);
  expect(allIds.length).toBe(
    TASKS + report.edits.filter((e) => e.kind === "task").length,
  );
  expect(
    final.tasks.filter((t) => t.status !== "done").map((t) => t.id),
  ).toEqual([]);
  const log = await swarm.hub.run([
    "log",
    "--reverse",
    "--format=%B%x00",
    "main",
  ]);
  const doneOrder = log
    .split("\0")
    .map((message) => readTrailers(message.trim()))
    .filter((t) => t.get("Swarm-Action") === "done")
    .map((t) => t.get("Swarm-Task") ?? "");
  expect([...doneOrder].sort()).toEqual([...allIds].sort());
  for (const task of final.tasks) {
    for (const need of task.needs)
      expect(doneOrder.indexOf(need), `${need} before ${task.id}`).toBeLessThan(
        doneOrder.indexOf(task.id),
      );
  }
  const files = (await swarm.hub.run(["ls-tree", "-r", "--name-only", "main"]))
    .trim()
    .split("\n");
  expect(files.filter((f) => f.startsWith("locks/"))).toEqual([]);
  // Every task ref ends in a done marker (no lock left anywhere); main carries no claim commits.
  const tips = await swarm.hub.run([
    "for-each-ref",
    "--format=%(refname:lstrip=3)",
    "refs/swarm/tasks/",
  ]);
  expect(tips.trim().split("\n").sort()).toEqual([...allIds].sort());
  for (const id of allIds)
    expect(
      await swarm.hub.run([
        "ls-tree",
        "-r",
        "--name-only",
        `refs/swarm/tasks/${id}`,
      ]),
    ).toBe(`tasks/${id}.md\n`);
  expect(log).not.toMatch(/Swarm-Action: (claim|release|break)/);
}, 1_800_000);
