/**
 * Combining arrival sources (runner/queue/hub-arrivals.ts): the first to hear an arrival wins and
 * the others are stopped; all silent means no arrival; one source is used as it is.
 */
import { describe, expect, it } from "vitest";
import {
  anyArrival,
  type Arrivals,
} from "../../../runner/queue/hub-arrivals.js";

/** A source that says `answer` after `ms`, or false at once when stopped first (logged in `stopped`). */
function source(
  answer: boolean,
  ms: number,
  stopped: string[],
  name: string,
): Arrivals {
  return (until) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        until.removeEventListener("abort", stop);
        resolve(answer);
      }, ms);
      const stop = () => {
        clearTimeout(timer);
        stopped.push(name);
        resolve(false);
      };
      until.addEventListener("abort", stop, { once: true });
    });
}

describe("anyArrival", () => {
  it("is true as soon as one source hears an arrival, and stops the others", async () => {
    const stopped: string[] = [];
    const both = anyArrival([
      source(true, 10, stopped, "fast"),
      source(true, 60_000, stopped, "slow"),
    ]);
    await expect(both?.(new AbortController().signal, 0)).resolves.toBe(true);
    expect(stopped).toEqual(["slow"]);
  });

  it("is false once every source said false, and when the caller's signal aborts", async () => {
    const stopped: string[] = [];
    const silent = anyArrival([
      source(false, 5, stopped, "a"),
      source(false, 10, stopped, "b"),
    ]);
    await expect(silent?.(new AbortController().signal, 0)).resolves.toBe(
      false,
    );
    const until = new AbortController();
    const waiting = anyArrival([
      source(true, 60_000, stopped, "c"),
      source(true, 60_000, stopped, "d"),
    ])?.(until.signal, 0);
    until.abort();
    await expect(waiting).resolves.toBe(false);
    expect(stopped).toEqual(["c", "d"]);
  });

  it("uses a lone source as it is, and has none without sources", () => {
    const lone: Arrivals = async () => true;
    expect(anyArrival([undefined, lone])).toBe(lone);
    expect(anyArrival([undefined, undefined])).toBeUndefined();
  });
});
