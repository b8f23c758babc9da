/** The summary `gitswarm run` prints at the end: outcome, tasks, spend, where things are, analytics. */
import path from "node:path";
import {
  analyzeRepository,
  formatAnalyticsTable,
} from "../../scripts/analytics/index.js";
import type { RunResult } from "../swarm/run-swarm.js";
import { USER_REMOTE } from "../swarm/swarm-setup.js";
import { readFile } from "node:fs/promises";
import {
  describeReviews,
  parseEventLog,
  summariseRun,
} from "../swarm/run-summary.js";
import { costTableLines } from "../../scripts/analytics/render/cost-render.js";
import { foldCosts } from "../../scripts/analytics/costs.js";
import type { CommandIo } from "./command.js";
import { UNGATED } from "../gates/gate-plan.js";
import {
  foldQueue,
  formatQueueFigures,
} from "../../scripts/analytics/queue.js";

/** Prints the run's outcome and the coordination analytics of the hub's main. */
export async function printRunSummary(
  io: CommandIo,
  repoDir: string,
  result: RunResult,
): Promise<void> {
  const { tasks } = result;
  const events = await readFile(result.eventLog, "utf8").then(
    parseEventLog,
    () => [],
  );
  // Job tasks no host of this run could ever run (each command agent says so once).
  const neverClaimed = [
    ...new Set(
      events.flatMap((e) => (e.type === "unschedulable" ? [e.reason] : [])),
    ),
  ];
  const queue = foldQueue(events);
  const lines = [
    "",
    `Run ${result.runId}: ${result.state}. ${tasks.done}/${tasks.total} tasks done.`,
    ...(tasks.blocked.length > 0
      ? [
          `Blocked (see their notes in PROGRESS.md): ${tasks.blocked.join(", ")}`,
        ]
      : []),
    ...(tasks.open.length > 0
      ? [
          `Still open: ${tasks.open.join(", ")} — 'gitswarm run' again resumes them.`,
        ]
      : []),
    ...neverClaimed.map((reason) => `Never claimed: ${reason}`),
    ...(events.some((e) => e.type === "run-start" && e.oracle === false)
      ? [
          `${UNGATED}: nothing but 'no change' and your gates: checked the work (add oracle: to gitswarm.config.yaml).`,
        ]
      : []),
    ...[describeReviews(summariseRun(result.runId, events).reviews)].flatMap(
      (line) => (line ? [`${line[0]?.toUpperCase()}${line.slice(1)}.`] : []),
    ),
    ...(queue ? [`Merge ${formatQueueFigures(queue)}`] : []),
    `Event log: ${path.relative(repoDir, result.eventLog)}`,
    result.home.updated
      ? `Your branch now has the swarm's results (${result.home.commit.slice(0, 12)}).`
      : `Get the swarm's results with: ${result.home.instruction}  (remote '${USER_REMOTE}' is the hub)`,
    "",
  ];
  io.stdout(lines.join("\n"));
  const costs = foldCosts([{ file: result.eventLog, events }]);
  io.stdout(`${costTableLines(costs).join("\n").trimStart()}\n\n`);
  const report = await analyzeRepository({
    repoDir: result.mainView.dir,
    ref: result.mainView.ref,
  }).catch(() => undefined);
  if (report) io.stdout(`${formatAnalyticsTable(report)}\n`);
}
