/**
 * Issue 25: agents waiting only for the merge queue watch the lander's tick file instead of
 * fetching the hub every few seconds. A wait ends when the tick changes, and not before; without a
 * change it ends at its bound. Which lander phases rewrite the tick.
 */
import { describe, expect, it } from "vitest";
import {
  queueTickReader,
  settlesQueue,
  touchQueueTick,
  waitForQueueTick,
} from "../../../runner/queue/queue-tick.js";
import { makeTempDir } from "../../support/temp-dir.js";

describe("the queue tick", () => {
  it("wakes a wait when the lander settles an entry, and bounds it otherwise", async () => {
    const dir = await makeTempDir("gitswarm-queue-tick-");
    const read = queueTickReader(dir);
    const seen = await read();
    expect(seen).toBe(0);
    const signal = new AbortController().signal;
    // No change: the wait runs to its bound.
    const started = Date.now();
    await waitForQueueTick(read, seen, { maxMs: 300, pollMs: 50, signal });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // A touch mid-wait ends it long before a generous bound.
    const waiting = waitForQueueTick(read, seen, {
      maxMs: 120_000,
      pollMs: 20,
      signal,
    });
    await touchQueueTick(dir);
    await waiting;
    expect(await read()).not.toBe(seen);
  });

  it("is rewritten for landings and hand-backs, not for enqueues or gates", () => {
    for (const phase of ["land", "conflict", "culprit", "fenced"])
      expect(settlesQueue(phase)).toBe(true);
    for (const phase of ["enqueue", "batch-start", "batch-result", "bisect"])
      expect(settlesQueue(phase)).toBe(false);
  });
});
