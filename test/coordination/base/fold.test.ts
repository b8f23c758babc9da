/** Folding concurrent reads (base/fold.ts) on plain promises: how many reads run, when, and aborts. */
import { describe, expect, it } from "vitest";
import { foldCall } from "../../../coordination/base/fold.js";

/** A read whose runs are counted and each held open until released by the test. */
function gatedRead() {
  const runs: { release: (v: number) => void; signal: AbortSignal }[] = [];
  const read = (signal: AbortSignal) =>
    new Promise<number>((resolve) => {
      runs.push({ release: resolve, signal });
    });
  return { runs, read };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("foldCall", () => {
  it("callers arriving during a read share ONE read that starts after it", async () => {
    const { runs, read } = gatedRead();
    const first = foldCall("k1", read);
    await tick();
    const later = Array.from({ length: 5 }, () => foldCall("k1", read));
    await tick();
    expect(runs).toHaveLength(1); // the second read waits for the first to end
    runs[0]?.release(1);
    expect(await first).toBe(1);
    await tick();
    expect(runs).toHaveLength(2);
    runs[1]?.release(2);
    expect(await Promise.all(later)).toEqual([2, 2, 2, 2, 2]);
    // Nothing in flight: the next caller starts a read of its own at once.
    const again = foldCall("k1", read);
    await tick();
    expect(runs).toHaveLength(3);
    runs[2]?.release(3);
    expect(await again).toBe(3);
  });

  it("different keys do not fold", async () => {
    const { runs, read } = gatedRead();
    const a = foldCall("ka", read);
    const b = foldCall("kb", read);
    await tick();
    expect(runs).toHaveLength(2);
    runs.forEach((r, i) => r.release(i));
    expect([await a, await b]).toEqual([0, 1]);
  });

  it("a failed read fails its callers, and the next read still runs", async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      if (calls === 1) throw new Error("hub down");
      return calls;
    };
    const one = foldCall("k2", failing);
    const two = foldCall("k2", failing);
    await expect(one).rejects.toThrow("hub down");
    expect(await two).toBe(2);
  });

  it("the shared read is aborted only when every caller has aborted", async () => {
    const { runs, read } = gatedRead();
    const running = foldCall("k3", read);
    const a = new AbortController();
    const b = new AbortController();
    const pa = foldCall("k3", read, a.signal);
    const pb = foldCall("k3", read, b.signal);
    await tick();
    runs[0]?.release(0);
    await running;
    await tick();
    expect(runs).toHaveLength(2);
    a.abort();
    expect(runs[1]?.signal.aborted).toBe(false);
    b.abort();
    expect(runs[1]?.signal.aborted).toBe(true);
    runs[1]?.release(7);
    expect([await pa, await pb]).toEqual([7, 7]);
  });
});
