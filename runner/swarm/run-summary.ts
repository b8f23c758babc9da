/** Summarises a run from its event log: per-agent tasks, calls and cost, and how the run ended. */
import { foldQueue, type QueueFigures } from "../../scripts/analytics/queue.js";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { runsDir, type SwarmEvent } from "../../coordination/base/events.js";
import { foldCosts, type CostFigures } from "../../scripts/analytics/costs.js";

export interface AgentSummary {
  name: string;
  kind: string;
  tasksDone: number;
  calls: number;
  costUsd: number;
  state: string;
}

export interface RunSummary {
  runId: string;
  state: string;
  tasksDone: number;
  costUsd: number;
  claims: { won: number; lost: number };
  oracle: { passed: number; failed: number } | null;
  /** The gates every change passed (run-start), and whether the run had no oracle. */
  gates: string[] | null;
  ungated: boolean;
  /** The AI reviews of this run: verdicts, reviews with no verdict, and what they cost. */
  reviews: ReviewTally;
  agents: AgentSummary[];
  /** Spend per agent and per task, attempts, and what failed attempts wasted. */
  costs: CostFigures;
  /** The coalescer's runs in this run: how many ended, the last one's result line and commit. */
  coalesce: { runs: number; last?: string; commit?: string } | null;
  /** The merge queue's figures, when the run used it. */
  queue?: QueueFigures;
}

/** Counts of the run's reviews. */
export interface ReviewTally {
  approved: number;
  changesRequested: number;
  errors: number;
  costUsd: number;
}

/** One line for the reviews, or undefined when there were none. */
export function describeReviews(reviews: ReviewTally): string | undefined {
  const total = reviews.approved + reviews.changesRequested + reviews.errors;
  if (total === 0) return undefined;
  return `reviews: ${reviews.approved} approved, ${reviews.changesRequested} changes requested, ${reviews.errors} without a verdict ($${reviews.costUsd.toFixed(4)})`;
}

/** Folds events into a summary. Pure; tolerates logs cut short by a crash. */
export function summariseRun(
  runId: string,
  events: readonly SwarmEvent[],
): RunSummary {
  const agents = new Map<string, AgentSummary>();
  const agent = (name: string) => {
    let entry = agents.get(name);
    if (!entry)
      agents.set(
        name,
        (entry = {
          name,
          kind: "?",
          tasksDone: 0,
          calls: 0,
          costUsd: 0,
          state: "unknown",
        }),
      );
    return entry;
  };
  const summary: RunSummary = {
    runId,
    state: "running or crashed",
    tasksDone: 0,
    costUsd: 0,
    claims: { won: 0, lost: 0 },
    oracle: null,
    gates: null,
    ungated: false,
    reviews: { approved: 0, changesRequested: 0, errors: 0, costUsd: 0 },
    agents: [],
    costs: foldCosts([{ file: runId, events }]),
    coalesce: null,
  };
  for (const event of events) {
    if (event.type === "run-start") {
      for (const a of event.agents) agent(a.name).kind = a.kind;
      summary.gates = event.gates ?? null;
      summary.ungated = event.oracle === false;
    } else if (event.type === "model-call") {
      // A CLI run reports each model's requests in one event: calls are model requests.
      agent(event.agent).calls += event.requests ?? 1;
      agent(event.agent).costUsd += event.costUsd;
      summary.costUsd += event.costUsd;
    } else if (event.type === "done") {
      agent(event.agent).tasksDone += 1;
      summary.tasksDone += 1;
    } else if (event.type === "claim") {
      if (event.outcome === "won" || event.outcome === "resumed")
        summary.claims.won += 1;
      else summary.claims.lost += 1;
    } else if (event.type === "agent-state")
      agent(event.agent).state = event.state;
    else if (event.type === "oracle" && event.scope === "full")
      summary.oracle = { passed: event.passed, failed: event.failed };
    else if (event.type === "review") {
      const r = summary.reviews;
      if (event.verdict === "approve") r.approved += 1;
      else if (event.verdict === "request-changes") r.changesRequested += 1;
      else r.errors += 1;
      r.costUsd += event.costUsd;
    } else if (event.type === "run-end") summary.state = event.state;
    else if (event.type === "coalesce" && event.phase === "end")
      summary.coalesce = {
        runs: (summary.coalesce?.runs ?? 0) + 1,
        last: event.detail,
        commit: event.commit,
      };
  }
  summary.agents = [...agents.values()];
  const queue = foldQueue(events);
  return queue ? { ...summary, queue } : summary;
}

/** Parses a JSONL log, skipping a torn last line (the runner may have been killed mid-write). */
export function parseEventLog(text: string): SwarmEvent[] {
  return text.split("\n").flatMap((line) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as SwarmEvent];
    } catch {
      return [];
    }
  });
}

/** Reads the most recent run's summary, or undefined when this repo has no runs. */
export async function readLatestRunSummary(
  repoDir: string,
): Promise<RunSummary | undefined> {
  const dir = runsDir(repoDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  let latest: { name: string; mtime: number } | undefined;
  for (const name of names) {
    const info = await stat(path.join(dir, name, "events.jsonl")).catch(
      () => undefined,
    );
    if (info && (!latest || info.mtimeMs > latest.mtime))
      latest = { name, mtime: info.mtimeMs };
  }
  if (!latest) return undefined;
  const text = await readFile(
    path.join(dir, latest.name, "events.jsonl"),
    "utf8",
  );
  return summariseRun(latest.name, parseEventLog(text));
}
