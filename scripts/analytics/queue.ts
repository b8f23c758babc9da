/**
 * The merge queue's figures from a run's events, a pure fold: batches gated, their sizes, red
 * batches bisected and the oracle runs bisection spent, full oracle runs (the lander's, and any full
 * gate an agent ran) per landed task, culprits, conflicts handed back, flaky trees, and how long
 * landed work waited in the queue (p50/p90). Shared by `status`, the end-of-run summary, `gitswarm
 * analytics` (text, JSON and HTML) and `npm run bench -- landing`.
 */
import type { SwarmEvent } from "../../coordination/base/events.js";
import { percentiles } from "../../coordination/queue/plan.js";

/** What `status`, the end-of-run summary, analytics and `npm run bench -- landing` report. */
export interface QueueFigures {
  enqueued: number;
  batches: number;
  /** Size of each batch as first gated, in order. */
  sizes: number[];
  landed: number;
  /** Red batches of two or more that were split to find the culprit. */
  bisections: number;
  /** Oracle runs those bisections made. */
  bisectRuns: number;
  oracleRuns: number;
  /** Full oracle runs per landed task (undefined before the first landing). */
  oracleRunsPerLanded?: number;
  culprits: number;
  conflicts: number;
  flaky: number;
  waitMs?: { p50: number; p90: number };
}

/** Folds events into queue figures; undefined when the run used no queue. Pure. */
export function foldQueue(
  events: readonly Pick<SwarmEvent, "type">[],
): QueueFigures | undefined {
  const figures: QueueFigures = {
    enqueued: 0,
    batches: 0,
    sizes: [],
    landed: 0,
    bisections: 0,
    bisectRuns: 0,
    oracleRuns: 0,
    culprits: 0,
    conflicts: 0,
    flaky: 0,
  };
  const waits: number[] = [];
  let seen = false;
  for (const raw of events) {
    const event = raw as SwarmEvent;
    if (event.type === "oracle" && event.scope === "full")
      figures.oracleRuns += 1;
    if (event.type !== "queue") continue;
    seen = true;
    figures.oracleRuns += event.oracleRuns ?? 0;
    if (event.phase === "enqueue") figures.enqueued += 1;
    else if (event.phase === "batch-start") {
      figures.batches += 1;
      figures.sizes.push(event.tasks?.length ?? 0);
    } else if (event.phase === "land") {
      figures.landed += event.tasks?.length ?? 0;
      waits.push(...(event.waitMs ?? []));
    } else if (event.phase === "batch-result") {
      if (event.ok === false && (event.tasks?.length ?? 0) > 1)
        figures.bisections += 1;
    } else if (event.phase === "bisect")
      figures.bisectRuns += event.oracleRuns ?? 1;
    else if (event.phase === "culprit") figures.culprits += 1;
    else if (event.phase === "conflict") figures.conflicts += 1;
    else if (event.phase === "flaky") figures.flaky += 1;
  }
  if (!seen) return undefined;
  const wait = percentiles(waits);
  return {
    ...figures,
    ...(figures.landed > 0
      ? { oracleRunsPerLanded: figures.oracleRuns / figures.landed }
      : {}),
    ...(wait ? { waitMs: wait } : {}),
  };
}

/** One line for humans: `queue: 5 batch(es) of 1-4, 9 landed, 1.22 oracle runs per landed task, …`. */
export function formatQueueFigures(q: QueueFigures): string {
  const sizes =
    q.sizes.length === 0
      ? ""
      : ` of ${Math.min(...q.sizes)}-${Math.max(...q.sizes)}`;
  const perTask =
    q.oracleRunsPerLanded === undefined
      ? ""
      : `, ${q.oracleRunsPerLanded.toFixed(2)} oracle run(s) per landed task`;
  const wait = q.waitMs
    ? `, wait p50 ${(q.waitMs.p50 / 1000).toFixed(1)}s p90 ${(q.waitMs.p90 / 1000).toFixed(1)}s`
    : "";
  const bisected =
    q.bisections === 0
      ? ""
      : `, ${q.bisections} bisection(s) (${q.bisectRuns} oracle run(s))`;
  return `queue: ${q.batches} batch(es)${sizes}, ${q.landed} landed${perTask}${bisected}, ${q.culprits} culprit(s), ${q.conflicts} conflict(s), ${q.flaky} flaky${wait}`;
}

/** The merge-queue lines of the analytics table; none when no run used the queue. */
export function queueTableLines(q: QueueFigures | null): string[] {
  if (q === null) return [];
  const sizes = percentiles(q.sizes);
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  return [
    "",
    `merge queue: ${q.enqueued} enqueued, ${q.landed} landed in ${q.batches} batch(es)`,
    `  batch size p50 ${sizes?.p50 ?? "-"}, p90 ${sizes?.p90 ?? "-"}, max ${q.sizes.length > 0 ? Math.max(...q.sizes) : "-"}`,
    `  full oracle runs ${q.oracleRuns}, per landed task ${q.oracleRunsPerLanded?.toFixed(2) ?? "-"}`,
    `  bisections ${q.bisections} (${q.bisectRuns} oracle runs), culprits ${q.culprits}, conflicts ${q.conflicts}, flaky ${q.flaky}`,
    `  queue wait p50 ${q.waitMs ? secs(q.waitMs.p50) : "-"}, p90 ${q.waitMs ? secs(q.waitMs.p90) : "-"}`,
  ];
}
