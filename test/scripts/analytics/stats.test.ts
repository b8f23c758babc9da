import { describe, expect, it } from "vitest";
import {
  bucketStart,
  chooseBucket,
  histogram,
  nextBucket,
  percentile,
  summarize,
} from "../../../scripts/analytics/stats.js";

describe("percentile and summarize", () => {
  it("uses the nearest rank, so every figure is a value that occurred", () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 90)).toBe(90);
    expect(percentile(sorted, 99)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it("summarises unsorted durations", () => {
    expect(summarize([900, 150, 3900, 600, 700])).toEqual({
      count: 5,
      mean: 1250,
      p50: 700,
      p90: 3900,
      p99: 3900,
      min: 150,
      max: 3900,
    });
    expect(summarize([])).toEqual({
      count: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      min: 0,
      max: 0,
    });
  });

  it("bins durations into fixed bins, boundaries inclusive", () => {
    expect(
      histogram([60, 61, 300, 3600, 86_400, 86_401]).map((b) => b.count),
    ).toEqual([1, 2, 0, 1, 0, 1, 1]);
  });
});

describe("time buckets", () => {
  const monday = Date.UTC(2024, 0, 1) / 1000; // 2024-01-01 was a Monday
  it("floors to the hour, day and Monday-started week in UTC", () => {
    const t = monday + 3 * 86_400 + 5 * 3600 + 17;
    expect(bucketStart(t, "hour")).toBe(monday + 3 * 86_400 + 5 * 3600);
    expect(bucketStart(t, "day")).toBe(monday + 3 * 86_400);
    expect(bucketStart(t, "week")).toBe(monday);
    expect(bucketStart(monday - 1, "week")).toBe(monday - 7 * 86_400);
    expect(nextBucket(monday, "week")).toBe(monday + 7 * 86_400);
  });

  it("floors to sub-hour buckets from the minute", () => {
    const t = monday + 5 * 3600 + 17 * 60 + 43;
    expect(bucketStart(t, "5s")).toBe(t - 3);
    expect(bucketStart(t, "30s")).toBe(t - 13);
    expect(bucketStart(t, "minute")).toBe(t - 43);
    expect(bucketStart(t, "15min")).toBe(t - 2 * 60 - 43);
    expect(nextBucket(monday, "5min")).toBe(monday + 300);
  });

  it("chooses a bucket by the span of the history", () => {
    expect(chooseBucket("auto", 0, 0)).toBe("5s");
    expect(chooseBucket("auto", 0, 60)).toBe("5s");
    expect(chooseBucket("auto", 0, 10 * 60)).toBe("15s");
    expect(chooseBucket("auto", 0, 3600)).toBe("minute");
    expect(chooseBucket("auto", 0, 12 * 3600)).toBe("15min");
    expect(chooseBucket("auto", 0, 16 * 3600)).toBe("hour");
    expect(chooseBucket("auto", 0, 2 * 86_400)).toBe("hour");
    expect(chooseBucket("auto", 0, 30 * 86_400)).toBe("day");
    expect(chooseBucket("auto", 0, 400 * 86_400)).toBe("week");
    expect(chooseBucket("day", 0, 400 * 86_400)).toBe("day");
  });
});
