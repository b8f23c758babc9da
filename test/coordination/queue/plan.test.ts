/** The lander's pure decisions: queue order, adaptive batch size, and the bisection of a red batch. */
import { describe, expect, it } from "vitest";
import {
  batchSize,
  bisectBatch,
  lingerMs,
  nextBatchLimit,
  percentiles,
  queueOrder,
} from "../../../coordination/queue/plan.js";
import {
  parseQueueEntry,
  renderQueueEntry,
} from "../../../coordination/state/queue-entry.js";

/** A batch "fails" when it holds any culprit; records every prefix tested. */
function oracleOver(culprits: Set<string>) {
  const tested: string[][] = [];
  const test = async (prefix: string[]) => {
    tested.push(prefix);
    const bad = prefix.filter((id) => culprits.has(id));
    return { ok: bad.length === 0, bad };
  };
  return { tested, test };
}

describe("queue plan", () => {
  it("orders entries oldest first, ties by task id", () => {
    const entries = [
      { task: "b", queuedAt: "2026-01-01T00:00:02.000Z" },
      { task: "c", queuedAt: "2026-01-01T00:00:01.000Z" },
      { task: "a", queuedAt: "2026-01-01T00:00:02.000Z" },
    ];
    expect(queueOrder(entries).map((e) => e.task)).toEqual(["c", "a", "b"]);
  });

  it("takes all that wait up to the limit, within min..max", () => {
    const limits = { min: 2, max: 8 };
    expect(batchSize(1, 8, limits)).toBe(1);
    expect(batchSize(5, 8, limits)).toBe(5);
    expect(batchSize(20, 8, limits)).toBe(8);
    expect(batchSize(20, 1, limits)).toBe(2);
    expect(batchSize(0, 8, limits)).toBe(0);
  });

  it("holds fewer than min back until the oldest has waited batch.wait, never longer", () => {
    const at = "2026-01-01T00:00:00.000Z";
    const t0 = Date.parse(at);
    const limits = { min: 4, max: 8, waitMs: 10_000 };
    expect(lingerMs(1, at, t0 + 2_000, limits)).toBe(8_000);
    expect(lingerMs(3, at, t0 + 9_999, limits)).toBe(1);
    expect(lingerMs(3, at, t0 + 10_000, limits)).toBe(0);
    expect(lingerMs(3, at, t0 + 60_000, limits)).toBe(0);
    // Enough wait, nothing waits, no wait configured, or a time that cannot be read: gate now.
    expect(lingerMs(4, at, t0, limits)).toBe(0);
    expect(lingerMs(0, at, t0, limits)).toBe(0);
    expect(lingerMs(1, at, t0, { min: 4, max: 8 })).toBe(0);
    expect(lingerMs(1, "not a time", t0, limits)).toBe(0);
  });

  it("doubles the limit after a green batch and halves it after a red one", () => {
    const limits = { min: 1, max: 8 };
    expect(nextBatchLimit(8, false, limits)).toBe(4);
    expect(nextBatchLimit(1, false, limits)).toBe(1);
    expect(nextBatchLimit(4, true, limits)).toBe(8);
    expect(nextBatchLimit(8, true, limits)).toBe(8);
  });

  it.each([0, 1, 2, 3, 4, 5])(
    "finds the one culprit at position %i of 6: lands every entry before it, blames only it",
    async (at) => {
      const batch = ["a", "b", "c", "d", "e", "f"];
      const culprit = batch[at] ?? "";
      const { tested, test } = oracleOver(new Set([culprit]));
      const failed = await test(batch);
      tested.length = 0;
      const found = await bisectBatch(batch, failed, test);
      expect(found.culprit?.item).toBe(culprit);
      expect(found.culprit?.result.ok).toBe(false);
      expect(found.land).toEqual(batch.slice(0, at));
      expect(found.requeue).toEqual(batch.slice(at + 1));
      // Past the first position the culprit is never tested alone; at most ceil(log2(6)) tests run.
      if (at > 0) expect(tested).not.toContainEqual([culprit]);
      expect(found.tests).toBeLessThanOrEqual(3);
      expect(found.tests).toBe(tested.length);
      // What lands was tested exactly as it lands.
      if (found.land.length > 0) expect(tested).toContainEqual(found.land);
    },
  );

  it("with two culprits blames the first and requeues the rest unjudged", async () => {
    const batch = ["a", "b", "c", "d"];
    const { test } = oracleOver(new Set(["b", "d"]));
    const found = await bisectBatch(batch, await test(batch), test);
    expect(found.culprit?.item).toBe("b");
    expect(found.land).toEqual(["a"]);
    expect(found.requeue).toEqual(["c", "d"]);
  });

  it("blames a batch of one without testing again", async () => {
    const { tested, test } = oracleOver(new Set(["a"]));
    const found = await bisectBatch(["a"], { ok: false, bad: ["a"] }, test);
    expect(found).toMatchObject({ land: [], requeue: [], tests: 0 });
    expect(found.culprit?.item).toBe("a");
    expect(tested).toEqual([]);
  });

  it("computes p50 and p90 by nearest rank", () => {
    expect(percentiles([])).toBeUndefined();
    expect(percentiles([5])).toEqual({ p50: 5, p90: 5 });
    expect(percentiles([10, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({
      p50: 5,
      p90: 9,
    });
  });

  it("round-trips a queue entry, summary and result included", () => {
    const entry = {
      task: "parser",
      agent: "claude-1",
      claimId: "9f2c1e0a7b3d4c55",
      work: "a".repeat(40),
      queuedAt: "2026-11-21T10:00:00.000Z",
      summary: "Parses the header.\nAnd the body.",
      result: "loss=0.1",
    };
    expect(parseQueueEntry(renderQueueEntry(entry))).toEqual({
      ok: true,
      entry,
    });
    expect(parseQueueEntry("---\ntask: x\n---\n")).toMatchObject({
      ok: false,
    });
  });
});
