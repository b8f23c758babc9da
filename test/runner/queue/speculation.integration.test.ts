/**
 * Speculative gating on a real hub: with more entries waiting than a batch takes, or entries that
 * arrive while it gates (told by this runner's agents, or seen on the hub from anywhere), the
 * lander gates the next batch on top of the one it gates, at the same time, and lands it right
 * after; a red batch below drops it unblamed; a speculative batch that breaks a case the batch
 * below made pass is judged against that batch's raised baseline, so it never lands; and a lander
 * SIGKILLed after the first landing, before the speculative push, loses nothing and lands nothing
 * twice.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EventInput } from "../../../coordination/base/events.js";
import { decode, runProcess } from "../../../coordination/base/spawn.js";
import { hubTask } from "../../support/swarm-fixture.js";
import { GITSWARM_BIN } from "../support/cli-run.js";
import { ORACLE_CONFIG } from "../support/swarm-repo.js";
import { implText } from "../support/task-model.js";
import {
  createQueueFixture,
  landedOnMain,
  mainSubjects,
  queueRefs,
  type QueueFixture,
} from "./queue-fixture.js";

let fixture: QueueFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const queueEvents = (events: EventInput[]) =>
  events.flatMap((e) => (e.type === "queue" ? [e] : []));
const phases = (events: EventInput[]) =>
  queueEvents(events).map((e) => e.phase);
const withPhase = (events: EventInput[], phase: string) =>
  queueEvents(events).filter((e) => e.phase === phase);
const oracleRuns = (events: EventInput[]) =>
  queueEvents(events).reduce((n, e) => n + (e.oracleRuns ?? 0), 0);
/** Lands with batches of at most 2 and speculation: 4 entries make a batch and one on top. */
async function landSpeculating(f: QueueFixture): Promise<void> {
  const end = await f.land("r1", {
    limits: { min: 1, max: 2 },
    speculate: true,
  });
  expect(end.outcome).toBe("drained");
}
const baselineOnMain = async (f: QueueFixture) =>
  (
    JSON.parse(await f.hub.run(["show", "main:oracle/baseline.json"])) as {
      passing: string[];
    }
  ).passing;

describe("speculative gating", () => {
  it("gates the batch behind at the same time, on top, and lands it right after: one oracle run each", async () => {
    fixture = await createQueueFixture(["s1", "s2", "s3", "s4"]);
    for (const id of ["s1", "s2", "s3", "s4"]) await fixture.enqueue(id);

    const end = await fixture.land("r1", {
      limits: { min: 1, max: 2 },
      speculate: true,
    });
    expect(end).toMatchObject({ outcome: "drained", turns: 1 });

    const { events } = fixture;
    // One turn: the batch, the one gated on top of it, each landed by its own push.
    expect(phases(events).filter((p) => p !== "speculate")).toEqual([
      "batch-start",
      "batch-result",
      "land",
      "batch-start",
      "batch-result",
      "land",
    ]);
    expect(withPhase(events, "speculate")[0]?.tasks).toEqual(["s3", "s4"]);
    expect(withPhase(events, "land").map((e) => e.tasks)).toEqual([
      ["s1", "s2"],
      ["s3", "s4"],
    ]);
    expect(withPhase(events, "speculate-dropped")).toEqual([]);
    expect(oracleRuns(events)).toBe(2);
    expect(await landedOnMain(fixture)).toEqual(["s1", "s2", "s3", "s4"]);
    expect(await baselineOnMain(fixture)).toEqual([
      "cases/base.case",
      "cases/s1.case",
      "cases/s2.case",
      "cases/s3.case",
      "cases/s4.case",
    ]);
    // Main moved twice, each time by one push: the speculative batch sits on the first's landing.
    const firstParents = (
      await fixture.hub.run(["log", "--first-parent", "--format=%s", "main"])
    ).split("\n");
    expect(firstParents.slice(0, 4).map((s) => s.split(" ")[1])).toEqual([
      "s4",
      "s3",
      "s2",
      "s1",
    ]);
    // Moved onto what landed, each step kept its tree: every work and check-off is on main.
    const progress = await fixture.hub.run(["show", "main:PROGRESS.md"]);
    for (const id of ["s1", "s2", "s3", "s4"]) {
      expect(await fixture.hub.run(["show", `main:impl/${id}.txt`])).toBe(
        implText(id),
      );
      expect(progress).toContain(`- [x] ${id}:`);
    }
    expect(await queueRefs(fixture)).toEqual([]);
  }, 300_000);

  it("gates entries that arrive during a batch's gate on top of it, instead of after it", async () => {
    const f = await createQueueFixture(["s1", "s2", "s3"]);
    fixture = f;
    await f.enqueue("s1");
    // The candidate waits for `go`, made once the lander has started gating s2 and s3 (told of
    // them after they were enqueued): the batch [s1] cannot get its verdict before, however loaded
    // the machine is. Were no speculation started, [s1]'s cases would time out and fail the test.
    const go = path.join(f.root, "go");
    const goOnceSpeculating = async () => {
      const until = Date.now() + 60_000;
      while (
        withPhase(f.events, "speculate").length === 0 &&
        Date.now() < until
      )
        await new Promise((resolve) => setTimeout(resolve, 50));
      await writeFile(go, "");
    };
    let told = false;
    const end = await f.land("r1", {
      speculate: true,
      oracle: (config) => ({
        ...config,
        candidate: `while [ ! -e '${go}' ]; do sleep 0.05; done; ${config.candidate ?? ""}`,
      }),
      arrivals: async (until) => {
        if (told)
          return new Promise((resolve) =>
            until.addEventListener("abort", () => resolve(false)),
          );
        told = true;
        await f.enqueue("s2");
        await f.enqueue("s3");
        void goOnceSpeculating();
        return true;
      },
    });
    expect(end).toMatchObject({ outcome: "drained", turns: 1 });
    expect(withPhase(f.events, "speculate")[0]?.tasks).toEqual(["s2", "s3"]);
    expect(withPhase(f.events, "land").map((e) => e.tasks)).toEqual([
      ["s1"],
      ["s2", "s3"],
    ]);
    expect(oracleRuns(f.events)).toBe(2);
    expect(await landedOnMain(f)).toEqual(["s1", "s2", "s3"]);
  }, 300_000);

  it("hears entries enqueued elsewhere during a gate from the hub, and gates them on top; parked work does not count", async () => {
    const f = await createQueueFixture(["s1", "s2", "s3"]);
    fixture = f;
    await f.enqueue("s1");
    // No word from any agent of this runner (no `arrivals`): once [s1]'s gate has begun, s2 reaches
    // the hub parked for a human (not the lander's), then s3 as another runner's agent or `gitswarm
    // land --queue` would put it there. The candidate waits for `go`, made once the lander
    // speculates, so [s1] cannot get its verdict before.
    const go = path.join(f.root, "go");
    const until = Date.now() + 60_000;
    const waitFor = async (phase: string) => {
      while (withPhase(f.events, phase).length === 0 && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const elsewhere = (async () => {
      await waitFor("batch-start");
      await f.enqueue("s2", {}, true);
      // Several polls see s2 alone: the lander reads the queue, finds nothing of its own, listens on.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await f.enqueue("s3");
      await waitFor("speculate");
      await writeFile(go, "");
    })();
    const end = await f.land("r1", {
      speculate: true,
      pollMs: 100,
      oracle: (config) => ({
        ...config,
        candidate: `while [ ! -e '${go}' ]; do sleep 0.05; done; ${config.candidate ?? ""}`,
      }),
    });
    await elsewhere;
    expect(end).toMatchObject({ outcome: "drained", turns: 1 });
    expect(withPhase(f.events, "speculate")[0]?.tasks).toEqual(["s3"]);
    expect(withPhase(f.events, "land").map((e) => e.tasks)).toEqual([
      ["s1"],
      ["s3"],
    ]);
    expect(oracleRuns(f.events)).toBe(2);
    expect(await landedOnMain(f)).toEqual(["s1", "s3"]);
    // The parked work still waits for its human.
    expect(await queueRefs(f)).toEqual([
      expect.stringMatching(/^refs\/swarm\/queue\/s2\//),
    ]);
  }, 300_000);

  it("drops the speculation unblamed when the batch below is red; only the culprit is blamed", async () => {
    fixture = await createQueueFixture(["s1", "s2", "s3", "s4"]);
    await fixture.enqueue("s1", { "impl/base.txt": "broken\n" });
    for (const id of ["s2", "s3", "s4"]) await fixture.enqueue(id);

    await landSpeculating(fixture);

    const dropped = withPhase(fixture.events, "speculate-dropped");
    expect(dropped[0]?.tasks).toEqual(["s3", "s4"]);
    expect(dropped[0]?.detail).toMatch(/the batch below did not land/);
    expect(withPhase(fixture.events, "culprit").map((e) => e.task)).toEqual([
      "s1",
    ]);
    expect(await landedOnMain(fixture)).toEqual(["s2", "s3", "s4"]);
    expect((await hubTask(fixture.hub, "s1")).text).toMatch(
      /attempt 1 failed: oracle: 1 passing case\(s\) now fail: cases\/base.case/,
    );
    expect(await fixture.hub.run(["show", "main:impl/base.txt"])).toBe(
      implText("base"),
    );
  }, 300_000);

  it("judges the speculative batch against the baseline the batch below raised: breaking its case never lands", async () => {
    fixture = await createQueueFixture(["s1", "s2", "s3", "s4"]);
    await fixture.enqueue("s1");
    await fixture.enqueue("s2");
    // s3 changes what s1's case expects: no textual conflict, but s1's case fails on top of s1.
    // Against main's old baseline (where s1's case never passed) it would not count.
    await fixture.enqueue("s3", { "cases/s1.case.expected": "changed\n" });
    await fixture.enqueue("s4");

    await landSpeculating(fixture);

    const dropped = withPhase(fixture.events, "speculate-dropped");
    expect(dropped[0]?.tasks).toEqual(["s3", "s4"]);
    expect(dropped[0]?.detail).toMatch(
      /red \(oracle: 1 passing case\(s\) now fail: cases\/s1.case\)/,
    );
    expect(withPhase(fixture.events, "culprit").map((e) => e.task)).toEqual([
      "s3",
    ]);
    expect(await landedOnMain(fixture)).toEqual(["s1", "s2", "s4"]);
    expect(await fixture.hub.run(["show", "main:cases/s1.case.expected"])).toBe(
      implText("s1"),
    );
    expect(await baselineOnMain(fixture)).toContain("cases/s1.case");
  }, 300_000);

  it("a lander killed after the first landing, before the speculative push, loses nothing and lands nothing twice", async () => {
    fixture = await createQueueFixture(["s1", "s2", "s3", "s4"]);
    for (const id of ["s1", "s2", "s3", "s4"]) await fixture.enqueue(id);
    const home = await fixture.clone("lander-home");
    // The lander reads its batch bounds from the clone's config.
    await writeFile(
      path.join(home.dir, "gitswarm.config.yaml"),
      `${ORACLE_CONFIG}queue:\n  batch: { min: 1, max: 2 }\n  speculate: true\n`,
    );
    const land = (kill?: string) =>
      runProcess(process.execPath, [GITSWARM_BIN, "land"], {
        cwd: home.dir,
        env: { GITSWARM_TEST_LANDER_KILL: kill },
        timeoutMs: 180_000,
      });

    const killed = await land("speculated");
    expect(killed.signal, decode(killed.stderr)).toBe("SIGKILL");
    expect(await landedOnMain(fixture)).toEqual(["s1", "s2"]);
    const restarted = await land();
    expect(restarted.exitCode, decode(restarted.stderr)).toBe(0);

    const subjects = await mainSubjects(fixture);
    for (const id of ["s1", "s2", "s3", "s4"]) {
      expect(
        subjects.filter((s) => s.startsWith(`done: ${id} `)),
        `${id} on main once`,
      ).toHaveLength(1);
      expect((await hubTask(fixture.hub, id)).text).toMatch(/state: done/);
    }
    expect(await queueRefs(fixture)).toEqual([]);
  }, 300_000);
});
