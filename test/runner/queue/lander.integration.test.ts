/**
 * The merge queue end to end on a real hub: agents enqueue, one lander gates the batch with the full
 * oracle once and lands it in one atomic push; a red batch is bisected so only its culprit is blamed;
 * a human push to main mid-batch is merged, not overwritten; work whose task a human deleted while
 * it waited is released, kept on its branch; a lock broken while its work waits in the queue never
 * lands.
 */
import { afterEach, describe, expect, it } from "vitest";
import { breakLock } from "../../../coordination/protocol/break-lock.js";
import { readQueue } from "../../../coordination/queue/read-queue.js";
import {
  buildChain,
  landChain,
} from "../../../coordination/queue/land-batch.js";
import { hubTask } from "../../support/swarm-fixture.js";
import { taskEntry } from "../support/swarm-repo.js";
import { implText } from "../support/task-model.js";
import {
  createQueueFixture,
  landedOnMain,
  queueRefs,
  type QueueFixture,
} from "./queue-fixture.js";

let fixture: QueueFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe("merge queue", () => {
  it("lands a batch with one oracle run and one push; a culprit among 6 is the only one blamed", async () => {
    fixture = await createQueueFixture(["q1", "q2", "q3", "q4", "q5", "q6"]);
    for (const id of ["q1", "q2", "q3", "q4", "q5", "q6"])
      await fixture.enqueue(
        id,
        id === "q3" ? { "impl/base.txt": "broken\n" } : {},
      );
    expect(await queueRefs(fixture)).toHaveLength(6);

    const end = await fixture.land();
    expect(end.outcome).toBe("drained");

    expect(await landedOnMain(fixture)).toEqual(["q1", "q2", "q4", "q5", "q6"]);
    const baseline = JSON.parse(
      await fixture.hub.run(["show", "main:oracle/baseline.json"]),
    ) as { passing: string[] };
    expect(baseline.passing).toEqual([
      "cases/base.case",
      "cases/q1.case",
      "cases/q2.case",
      "cases/q4.case",
      "cases/q5.case",
      "cases/q6.case",
    ]);
    expect(await fixture.hub.run(["show", "main:impl/base.txt"])).toBe(
      implText("base"),
    );
    const culprit = await hubTask(fixture.hub, "q3");
    expect(culprit.text).toMatch(/state: released/);
    expect(culprit.text).toMatch(
      /attempt 1 failed: oracle: 1 passing case\(s\) now fail: cases\/base.case/,
    );
    // The culprit's work, queued only under its queue ref, is on its claim's branch for the next try.
    expect(
      await fixture.hub.run(["show", "swarm/agent-q3/q3:impl/base.txt"]),
    ).toBe("broken\n");
    for (const id of ["q1", "q2", "q4", "q5", "q6"])
      expect((await hubTask(fixture.hub, id)).text).toMatch(/state: done/);
    expect(await queueRefs(fixture)).toEqual([]);
    const phases = fixture.events.flatMap((e) =>
      e.type === "queue" ? [e.phase] : [],
    );
    expect(phases[0]).toBe("batch-start");
    expect(phases).toContain("bisect");
    expect(phases).toContain("culprit");
    const culprits = fixture.events.filter(
      (e) => e.type === "queue" && e.phase === "culprit",
    );
    expect(culprits).toHaveLength(1);
    // Full oracle runs: the red batch (and its uncached retry), the bisection's, then what was left.
    const runs = fixture.events.reduce(
      (n, e) => n + (e.type === "queue" ? (e.oracleRuns ?? 0) : 0),
      0,
    );
    expect(runs).toBeLessThanOrEqual(6);
  }, 400_000);

  it("merges a human's push to main made mid-batch instead of overwriting it", async () => {
    fixture = await createQueueFixture(["h1", "h2"]);
    await fixture.enqueue("h1");
    await fixture.enqueue("h2");
    const ws = await fixture.clone("lander-by-hand");
    const queue = await readQueue(ws);
    if (queue === undefined) throw new Error("no queue");
    const chain = await buildChain(ws, queue.view, queue.items, [
      "oracle/baseline.json",
    ]);
    const human = await fixture.pushToMain(
      { "NOTES.md": "a human was here\n" },
      "human: notes",
    );
    const stale = await landChain(ws, chain, []);
    expect(stale.outcome).toBe("rejected");
    expect((await fixture.hub.run(["rev-parse", "main"])).trim()).toBe(human);

    await fixture.land();
    expect(await landedOnMain(fixture)).toEqual(["h1", "h2"]);
    const ancestor = await fixture.hub.tryRun([
      "merge-base",
      "--is-ancestor",
      human,
      "main",
    ]);
    expect(ancestor.ok).toBe(true);
    expect(await fixture.hub.run(["show", "main:NOTES.md"])).toBe(
      "a human was here\n",
    );
  }, 400_000);

  it("releases work whose task a human deleted while it waited, keeping it on its branch; the rest lands", async () => {
    fixture = await createQueueFixture(["g1", "g2"]);
    await fixture.enqueue("g1");
    await fixture.enqueue("g2");
    const progress = await fixture.hub.run(["show", "main:PROGRESS.md"]);
    const entry = taskEntry({ id: "g1", needs: [] });
    expect(progress).toContain(entry);
    await fixture.pushToMain(
      { "PROGRESS.md": progress.replace(entry, "") },
      "human: drop g1",
    );

    const end = await fixture.land();
    expect(end.outcome).toBe("drained");
    expect(await landedOnMain(fixture)).toEqual(["g2"]);
    const gone = await hubTask(fixture.hub, "g1");
    expect(gone.text).toMatch(/state: released/);
    expect(gone.text).toMatch(
      /'g1' was deleted or renamed in PROGRESS.md while its work waited in the merge queue; the work is kept on branch swarm\/agent-g1\/g1/,
    );
    expect(
      await fixture.hub.run(["show", "swarm/agent-g1/g1:impl/g1.txt"]),
    ).toBe(implText("g1"));
    expect(await queueRefs(fixture)).toEqual([]);
    expect(fixture.events.filter((e) => e.type === "error")).toEqual([]);
  }, 300_000);

  it("never lands work whose lock was broken while it waited; the lease rules alone do not break it", async () => {
    fixture = await createQueueFixture(["f1", "f2"]);
    await fixture.enqueue("f1");
    await fixture.enqueue("f2");
    const human = await fixture.clone("human");
    const far = new Date(Date.now() + 24 * 3600_000);
    const unforced = await breakLock(human, {
      taskId: "f1",
      breaker: "human",
      now: () => far,
    });
    expect(unforced).toMatchObject({ outcome: "refused", state: "queued" });
    const forced = await breakLock(human, {
      taskId: "f1",
      breaker: "human",
      force: true,
    });
    expect(forced.outcome).toBe("broken");

    await fixture.land();
    expect(await landedOnMain(fixture)).toEqual(["f2"]);
    expect(
      (await fixture.hub.tryRun(["cat-file", "-e", "main:impl/f1.txt"])).ok,
    ).toBe(false);
    expect((await hubTask(fixture.hub, "f1")).text).toMatch(/state: broken/);
    expect(await queueRefs(fixture)).toEqual([]);
  }, 400_000);

  it("two landers racing land every entry exactly once", async () => {
    fixture = await createQueueFixture(["r1", "r2", "r3"]);
    for (const id of ["r1", "r2", "r3"]) await fixture.enqueue(id);
    const ends = await Promise.all([fixture.land("a"), fixture.land("b")]);
    expect(ends.map((e) => e.outcome)).toContain("drained");
    expect(await landedOnMain(fixture)).toEqual(["r1", "r2", "r3"]);
    const lands = fixture.events.filter(
      (e) => e.type === "queue" && e.phase === "land",
    );
    expect(
      lands.flatMap((e) => (e.type === "queue" ? (e.tasks ?? []) : [])).sort(),
    ).toEqual(["r1", "r2", "r3"]);
  }, 400_000);

  it("with batch.min and batch.wait, holds a lone entry for more and gates them as one batch", async () => {
    const queue = await createQueueFixture(["q1", "q2", "q3"]);
    fixture = queue;
    await queue.enqueue("q1");
    const idles: (number | undefined)[] = [];
    const end = await queue.land("r1", {
      limits: { min: 3, max: 8, waitMs: 10 * 60_000 },
      // The run's schedule wakes the lander when its agents enqueue: two more come while it waits.
      async idle(lingerMs) {
        idles.push(lingerMs);
        if (idles.length > 1) return false;
        await queue.enqueue("q2");
        await queue.enqueue("q3");
        return true;
      },
    });
    expect(end.outcome).toBe("drained");
    // It waited on the lone entry (the wait measured from q1's enqueue), then found the queue empty.
    expect(idles).toHaveLength(2);
    expect(idles[0]).toBeGreaterThan(9 * 60_000);
    expect(idles[1]).toBeUndefined();
    const batches = queue.events.flatMap((e) =>
      e.type === "queue" && e.phase === "batch-start" ? [e.tasks] : [],
    );
    expect(batches).toEqual([["q1", "q2", "q3"]]);
    expect(await landedOnMain(queue)).toEqual(["q1", "q2", "q3"]);
  });

  it("gates fewer than batch.min once the oldest has waited batch.wait", async () => {
    const queue = await createQueueFixture(["q1"]);
    fixture = queue;
    await queue.enqueue("q1");
    const idles: (number | undefined)[] = [];
    await queue.land("r1", {
      limits: { min: 3, max: 8, waitMs: 300 },
      async idle(lingerMs) {
        idles.push(lingerMs);
        if (lingerMs === undefined) return false;
        await new Promise((resolve) => setTimeout(resolve, lingerMs));
        return true;
      },
    });
    expect(idles.at(-1)).toBeUndefined();
    expect(await landedOnMain(queue)).toEqual(["q1"]);
  });
});
