/**
 * Small exact statistics: nearest-rank percentiles (every value reported is one that occurred, so
 * tests can assert figures exactly), duration histograms, and time buckets in UTC.
 */

/** Count, mean and percentiles of a set of durations, in seconds; zeros when empty. */
export interface DurationSummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

/** The nearest-rank percentile (p in 0..100) of ascending-sorted values; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

/** Summarises durations (seconds); the mean is rounded to whole seconds. */
export function summarize(values: readonly number[]): DurationSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? 0 : Math.round(total / sorted.length),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
  };
}

/** One bin of a duration histogram: durations up to `upTo` seconds (null: everything longer). */
export interface HistogramBin {
  label: string;
  upTo: number | null;
  count: number;
}

const BINS: ReadonlyArray<[string, number | null]> = [
  ["≤1m", 60],
  ["≤5m", 300],
  ["≤15m", 900],
  ["≤1h", 3600],
  ["≤4h", 14_400],
  ["≤1d", 86_400],
  [">1d", null],
];

/** Counts durations into fixed bins (a stable schema, whatever the data). */
export function histogram(values: readonly number[]): HistogramBin[] {
  const bins = BINS.map(([label, upTo]) => ({ label, upTo, count: 0 }));
  for (const v of values) {
    const bin = bins.find((b) => b.upTo === null || v <= b.upTo);
    if (bin) bin.count += 1;
  }
  return bins;
}

/** Bucket widths for figures over time, narrowest first. */
export const BUCKETS = [
  "5s",
  "15s",
  "30s",
  "minute",
  "5min",
  "15min",
  "hour",
  "day",
  "week",
] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Seconds per bucket; a week is seven days (it starts on Monday, see bucketStart). */
const WIDTH: Record<Bucket, number> = {
  "5s": 5,
  "15s": 15,
  "30s": 30,
  minute: 60,
  "5min": 300,
  "15min": 900,
  hour: 3600,
  day: 86_400,
  week: 7 * 86_400,
};

/** Buckets narrower than an hour give at most this many points before a wider one is taken. */
const MAX_AUTO_POINTS = 60;

/** How a bucket reads in a sentence: `5 seconds`, `minute`, `15 minutes`, `hour`. */
export function bucketLabel(bucket: Bucket): string {
  const width = WIDTH[bucket];
  if (width < 60) return `${width} seconds`;
  if (width < 3600 && width > 60) return `${width / 60} minutes`;
  return bucket;
}

/**
 * `auto` fits the bucket to the history: for up to two days the narrowest of 5 s … 15 min that
 * gives at most 60 points (a one-minute run gets 5-second bars, an hour minutes), else hours; days
 * up to ~four months; weeks beyond.
 */
export function chooseBucket(
  requested: Bucket | "auto",
  first: number,
  last: number,
): Bucket {
  if (requested !== "auto") return requested;
  const span = last - first;
  if (span <= 2 * 86_400)
    return (
      BUCKETS.find(
        (b) => WIDTH[b] < 3600 && span / WIDTH[b] <= MAX_AUTO_POINTS,
      ) ?? "hour"
    );
  if (span <= 120 * 86_400) return "day";
  return "week";
}

/** The start (Unix seconds, UTC) of the bucket holding `time`; weeks start on Monday. */
export function bucketStart(time: number, bucket: Bucket): number {
  if (bucket !== "week") {
    const width = WIDTH[bucket];
    return time - (((time % width) + width) % width);
  }
  const day = time - (((time % 86_400) + 86_400) % 86_400);
  // 1970-01-01 was a Thursday: shift so that Monday is day 0 of the week.
  const weekday = (Math.floor(day / 86_400) + 3) % 7;
  return day - ((weekday + 7) % 7) * 86_400;
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, bucket: Bucket): number {
  return start + WIDTH[bucket];
}

/** A bucket's start as a label: the time of day to the second or minute, or the date. */
export function formatBucketStart(iso: string, bucket: Bucket): string {
  const width = WIDTH[bucket];
  if (width < 60) return iso.slice(11, 19);
  if (width < 86_400) return iso.slice(5, 16).replace("T", " ");
  return iso.slice(0, 10);
}
