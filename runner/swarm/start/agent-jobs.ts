/**
 * The job each agent process of a run is started with: its spec, its clone, the run's limits,
 * gates, reviewers, sandbox and (for command agents) the host's job settings.
 */
import path from "node:path";
import type { AgentSpec } from "../../../agents/index.js";
import { parseDuration } from "../../../coordination/base/duration.js";
import type { SandboxPlan } from "../../../coordination/base/sandbox/sandbox-plan.js";
import type { AgentJob, ReviewerSpec } from "../../agent/agent-job.js";
import type { SwarmConfig } from "../../config.js";
import { reviewerSpecs } from "../../gates/reviewer-specs.js";
import type { RosterEntry } from "../agent-roster.js";

/** What of the run's options an agent's job is made from. */
export interface JobRunOptions {
  repoDir: string;
  config: SwarmConfig;
  roster: RosterEntry[];
  oracle: boolean;
  budgetUsd?: number;
  maxTasks?: number;
  reviewers?: ReviewerSpec[];
}

/** The job of one roster entry in this run (its clone, lease and budget file given). */
export function jobFor(
  entry: RosterEntry,
  options: JobRunOptions,
  workspaceDir: string,
  leaseMs: number,
  budgetFile: string,
  sandbox: SandboxPlan,
): AgentJob {
  const capabilities = new Set(options.roster.flatMap((a) => a.capabilities));
  const fallbackNames = "fallback" in entry.spec ? entry.spec.fallback : [];
  const fallbacks = options.roster
    .map((other) => other.spec)
    .filter(
      (spec): spec is AgentSpec =>
        spec.kind !== "scripted" && fallbackNames.includes(spec.name),
    )
    .filter(
      (spec, index, all) =>
        all.findIndex((s) => s.name === spec.name) === index,
    );
  return {
    name: entry.name,
    spec: entry.spec,
    fallbacks,
    capabilities: entry.capabilities,
    swarmCapabilities: [...capabilities],
    slot: { index: options.roster.indexOf(entry), of: options.roster.length },
    routing: options.config.routing,
    workspaceDir,
    remote: options.config.hub.remote,
    branch: options.config.hub.branch,
    leaseMs,
    hubOutageMs: parseDuration(options.config.hubOutage),
    maxAttempts: options.config.maxAttempts,
    oracle: options.oracle,
    gates: { entries: options.config.gates, review: options.config.review },
    reviewers: reviewerSpecs(options.roster, options.reviewers),
    queue: options.config.queue.enabled,
    taskBudgetUsd: "budgetUsd" in entry.spec ? entry.spec.budgetUsd : undefined,
    // One pool for the whole run, not a share per agent: a busy agent may spend what idle ones do not.
    budgetPool:
      options.budgetUsd === undefined
        ? undefined
        : { file: budgetFile, limitUsd: options.budgetUsd },
    maxTasks: options.maxTasks,
    sandbox,
    ...(entry.spec.kind === "command"
      ? {
          jobs: {
            gpus: options.config.gpus,
            jobsRoot: path.resolve(
              options.repoDir,
              options.config.jobs.checkpointDir,
            ),
            stopGraceMs: parseDuration(options.config.jobs.stopGrace) ?? 30_000,
          },
        }
      : {}),
  };
}
