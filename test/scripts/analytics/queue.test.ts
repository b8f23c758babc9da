/**
 * The merge queue's figures in analytics, on plain events: batch sizes, bisections and the oracle
 * runs they cost, oracle runs per landed task and queue wait p50/p90, in the text table, the HTML
 * page and the JSON report.
 */
import { describe, expect, it } from "vitest";
import type { SwarmEvent } from "../../../coordination/base/events.js";
import { buildReport } from "../../../scripts/analytics/build-report.js";
import {
  formatAnalyticsTable,
  renderAnalyticsHtml,
} from "../../../scripts/analytics/index.js";
import {
  foldQueue,
  formatQueueFigures,
  queueTableLines,
} from "../../../scripts/analytics/queue.js";

const at = "2026-12-05T20:00:00.000Z";
const q = (
  phase: string,
  extra: Partial<Extract<SwarmEvent, { type: "queue" }>> = {},
): SwarmEvent => ({
  time: at,
  type: "queue",
  agent: "lander",
  phase,
  detail: phase,
  ...extra,
});

// Four enqueued; a batch of 3 is red, bisected in two runs (a lands, b is the culprit), c lands
// alone; d lands in a batch of 1 after waiting longest.
const events: SwarmEvent[] = [
  ...["a", "b", "c", "d"].map((task) => q("enqueue", { agent: task, task })),
  q("batch-start", { tasks: ["a", "b", "c"] }),
  q("batch-result", { tasks: ["a", "b", "c"], ok: false, oracleRuns: 1 }),
  q("bisect", { tasks: ["a", "b"], ok: false, oracleRuns: 1 }),
  q("bisect", { tasks: ["a"], ok: true, oracleRuns: 1 }),
  q("land", { tasks: ["a"], waitMs: [10_000] }),
  q("culprit", { task: "b" }),
  q("batch-start", { tasks: ["c", "d"] }),
  q("batch-result", { tasks: ["c", "d"], ok: true, oracleRuns: 1 }),
  q("land", { tasks: ["c", "d"], waitMs: [20_000, 40_000] }),
];

describe("merge queue figures", () => {
  it("folds batches, bisections, oracle runs per landed task and queue wait", () => {
    const figures = foldQueue(events);
    expect(figures).toMatchObject({
      enqueued: 4,
      batches: 2,
      sizes: [3, 2],
      landed: 3,
      bisections: 1,
      bisectRuns: 2,
      oracleRuns: 4,
      culprits: 1,
      waitMs: { p50: 20_000, p90: 40_000 },
    });
    expect(figures?.oracleRunsPerLanded).toBeCloseTo(4 / 3);
    expect(foldQueue([{ time: at, type: "run-start" } as SwarmEvent])).toBe(
      undefined,
    );
    expect(formatQueueFigures(figures!)).toContain(
      "1 bisection(s) (2 oracle run(s))",
    );
  });

  it("shows them in the analytics table, the HTML page and the JSON report", () => {
    const figures = foldQueue(events)!;
    const report = buildReport([], {
      repo: "/r",
      revisions: "HEAD",
      queue: figures,
    });
    expect(JSON.parse(JSON.stringify(report)).queue).toMatchObject({
      sizes: [3, 2],
      bisections: 1,
      waitMs: { p50: 20_000, p90: 40_000 },
    });
    const text = formatAnalyticsTable(report);
    expect(text).toContain("merge queue: 4 enqueued, 3 landed in 2 batch(es)");
    expect(text).toContain("batch size p50 2, p90 3, max 3");
    expect(text).toContain("per landed task 1.33");
    expect(text).toContain("queue wait p50 20.0s, p90 40.0s");
    expect(renderAnalyticsHtml(report)).toContain("<h2>Merge queue</h2>");
    expect(queueTableLines(null)).toEqual([]);
    expect(buildReport([], { repo: "/r", revisions: "HEAD" }).queue).toBe(null);
  });
});
