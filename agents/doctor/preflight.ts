/**
 * The gate before a swarm starts: every agent must pass `gitswarm doctor`'s checks, or the run is
 * refused with the report — unless the user said to start anyway, in which case only the agents
 * that can run are kept.
 */
import { SwarmError } from "../../coordination/base/errors.js";
import type { AgentSpec } from "../config.js";
import { formatDoctorReport, runDoctor } from "./doctor.js";
import type { DoctorOptions, DoctorReport } from "./doctor-types.js";

/** What the runner starts with: the agents that passed, and the full report to show or log. */
export interface Preflight {
  ready: AgentSpec[];
  report: DoctorReport;
}

/**
 * Runs the checks; throws SwarmError('agents-not-ready') listing each problem and fix when any check
 * fails, unless `allowBroken`, which drops the failing agents instead (none left also throws).
 */
export async function preflightAgents(
  specs: AgentSpec[],
  env: NodeJS.ProcessEnv,
  options: DoctorOptions & { allowBroken?: boolean } = {},
): Promise<Preflight> {
  const report = await runDoctor(specs, env, options);
  const broken = new Set(
    report.checks
      .filter((c) => !c.ok && c.agent !== undefined)
      .map((c) => c.agent),
  );
  const ready = specs.filter((s) => !broken.has(s.name));
  const gitBroken = report.checks.some((c) => c.name === "git" && !c.ok);
  if (report.ok || (options.allowBroken && !gitBroken && ready.length > 0))
    return { ready, report };
  const hint = options.allowBroken
    ? "no agent can run."
    : "fix these, or start anyway with only the agents that can run (--force).";
  throw new SwarmError(
    "agents-not-ready",
    `preflight failed:\n${formatDoctorReport(report)}${hint}`,
  );
}
