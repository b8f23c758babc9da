/**
 * Issue 19 item 7: a `time-limit: 30d` job was killed at once, because a Node timer overflows past
 * 2^31-1 ms (about 24.8 days) and fires immediately. With a fake clock: the long timer that
 * runProcess arms for a job's time-limit fires exactly when due, not before, for limits past the
 * ceiling; and the validation of `time-limit:` accepts what the timer can then honour.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  MAX_TIMER_MS,
  setLongTimeout,
} from "../../../coordination/base/long-timer.js";
import { parseJobSpec } from "../../../coordination/progress/job-spec.js";

const DAY = 86_400_000;

describe("setLongTimeout", () => {
  afterEach(() => vi.useRealTimers());

  it("time-limit: 30d does not fire early, and fires when due", () => {
    vi.useFakeTimers();
    const { spec, problems } = parseJobSpec(
      {
        run: { value: "train.sh", line: 3 },
        "time-limit": { value: "30d", line: 4 },
      },
      2,
    );
    expect(problems).toEqual([]);
    const limit = spec?.timeLimitMs ?? 0;
    expect(limit).toBe(30 * DAY);
    expect(limit).toBeGreaterThan(MAX_TIMER_MS);
    let fired = 0;
    setLongTimeout(() => (fired += 1), limit);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(limit - MAX_TIMER_MS - 2);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(60 * DAY);
    expect(fired).toBe(1);
  });

  it("handles many chunks (a 99999d limit, which validation accepts) and can be cleared mid-way", () => {
    vi.useFakeTimers();
    const limit =
      parseJobSpec(
        {
          run: { value: "x", line: 3 },
          "time-limit": { value: "99999d", line: 4 },
        },
        2,
      ).spec?.timeLimitMs ?? 0;
    let fired = false;
    const timer = setLongTimeout(() => (fired = true), limit);
    vi.advanceTimersByTime(limit - 1);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(true);
    let cleared = false;
    const other = setLongTimeout(() => (cleared = true), 40 * DAY);
    vi.advanceTimersByTime(30 * DAY);
    other.clear();
    vi.advanceTimersByTime(30 * DAY);
    expect(cleared).toBe(false);
    expect(timer).toBeDefined();
  });

  it("short delays behave as setTimeout does", () => {
    vi.useFakeTimers();
    const order: string[] = [];
    setLongTimeout(() => order.push("long"), 0);
    order.push("sync");
    vi.advanceTimersByTime(0);
    setLongTimeout(() => order.push("500"), 500);
    vi.advanceTimersByTime(499);
    expect(order).toEqual(["sync", "long"]);
    vi.advanceTimersByTime(1);
    expect(order).toEqual(["sync", "long", "500"]);
  });
});
