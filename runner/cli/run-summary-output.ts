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
  // Tasks no agent of this run could ever run here are not "still open": a rerun will not help.
  const never = new Set(tasks.unschedulable.map((u) => u.task));
  const stillOpen = tasks.open.filter((id) => !never.has(id));
  const queue = foldQueue(events);
  const lines = [
    "",
    `Run ${result.runId}: ${result.state}. ${tasks.done}/${tasks.total} tasks done.`,
    ...(tasks.blocked.length > 0
      ? [
          `Blocked (see their notes in PROGRESS.md): ${tasks.blocked.join(", ")}`,
        ]
      : []),
    ...(stillOpen.length > 0
      ? [
          `Still open: ${stillOpen.join(", ")} — 'gitswarm run' again resumes them.`,
        ]
      : []),
    ...tasks.unschedulable.map(
      (u) =>
        `Never claimed: ${u.reason} (no agent of this run can run it here)`,
    ),
    ...nothingDoneLines(tasks.nothingDone),
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

/** "Nothing was done: why" — one line for one reason, a list for several. */
function nothingDoneLines(reasons: readonly string[]): string[] {
  if (reasons.length === 0) return [];
  if (reasons.length === 1) return [`Nothing was done: ${reasons[0]}.`];
  return ["Nothing was done:", ...reasons.map((r) => `  - ${r}`)];
}
