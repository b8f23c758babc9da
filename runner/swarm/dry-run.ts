/**
 * `gitswarm run --dry-run`: the plan without touching the hub — which agents would run, which tasks
 * each would claim first (the scheduler over PROGRESS.md, claims simulated), and a cost estimate.
 */
import {
  DEFAULT_PRICES,
  costOf,
  findPrice,
  modelOf,
} from "../../agents/index.js";
import { deriveSwarmState } from "../../coordination/protocol/swarm-state.js";
import type { ProgressDoc } from "../../coordination/progress/parse.js";
import type { RosterEntry } from "./agent-roster.js";
import type { SwarmConfig } from "../config.js";
import { pickTask } from "../agent/scheduler.js";

/** A rough per-task usage for API agents: ~25 model calls of ~12k input and ~800 output tokens. */
const TYPICAL_TASK = { calls: 25, inputTokens: 12_000, outputTokens: 800 };

export interface DryRunPlan {
  agents: {
    name: string;
    kind: string;
    firstTask: string | null;
    estimatedUsdPerTask: number | null;
  }[];
  claimableNow: number;
  openTasks: number;
  estimatedUsd: number | null;
  text: string;
}

/** Simulates one scheduling round and prices the open tasks. Pure. */
export function planDryRun(
  progress: ProgressDoc,
  roster: readonly RosterEntry[],
  config: SwarmConfig,
): DryRunPlan {
  const state = deriveSwarmState(
    { tip: undefined, progress, archivedIds: [], locks: [] },
    new Map(),
    new Date(),
  );
  const context = {
    swarmCapabilities: new Set(roster.flatMap((a) => a.capabilities)),
    routing: config.routing,
  };
  const taken = new Set<string>();
  const agents = roster.map((entry) => {
    const me = {
      name: entry.name,
      kind: entry.spec.kind,
      capabilities: entry.capabilities,
      jobsOnly:
        entry.spec.kind === "command" &&
        !("command" in entry.spec && entry.spec.command),
    };
    const remaining = {
      ...state,
      tasks: state.tasks.filter((t) => !taken.has(t.task.id)),
    };
    const pick = pickTask(remaining, me, context);
    if (pick) taken.add(pick.task.id);
    return {
      name: entry.name,
      kind: entry.spec.kind,
      firstTask: pick?.task.id ?? null,
      estimatedUsdPerTask: perTaskUsd(entry),
    };
  });
  const openTasks = state.tasks.filter((t) => t.status === "open").length;
  const prices = agents
    .map((a) => a.estimatedUsdPerTask)
    .filter((p): p is number => p !== null);
  const estimatedUsd =
    prices.length === 0
      ? null
      : (openTasks * prices.reduce((a, b) => a + b, 0)) / prices.length;
  const lines = [
    `Dry run: ${agents.length} agent(s), ${openTasks} open task(s), ${state.tasks.filter((t) => t.claimable).length} claimable now. Nothing was touched.`,
    ...agents.map(
      (a) =>
        `  ${a.name.padEnd(18)} ${a.kind.padEnd(12)} first task: ${a.firstTask ?? "(none it can take)"}  ~$${a.estimatedUsdPerTask?.toFixed(2) ?? "?"} per task`,
    ),
    `Estimated cost: ${estimatedUsd === null ? "unknown (CLI agents report their own cost)" : `~$${estimatedUsd.toFixed(2)} for the open tasks (rough: ${TYPICAL_TASK.calls} calls per task)`}`,
  ];
  return {
    agents,
    claimableNow: state.tasks.filter((t) => t.claimable).length,
    openTasks,
    estimatedUsd,
    text: `${lines.join("\n")}\n`,
  };
}

function perTaskUsd(entry: RosterEntry): number | null {
  if (entry.spec.kind === "scripted" || entry.spec.kind === "command") return 0;
  const model = modelOf(entry.spec);
  if (model === undefined || findPrice(model, DEFAULT_PRICES) === undefined)
    return null;
  return (
    costOf(
      model,
      {
        inputTokens: TYPICAL_TASK.inputTokens,
        outputTokens: TYPICAL_TASK.outputTokens,
      },
      DEFAULT_PRICES,
    ) * TYPICAL_TASK.calls
  );
}
