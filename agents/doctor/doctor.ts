/**
 * The preflight behind `gitswarm doctor`: for every configured agent, check it can really run — the
 * CLI is on PATH and answers `--version`, the API key is set, a custom endpoint really answers —
 * and say precisely what is missing and how to fix it. Also checks git. Spends no tokens.
 */
import { modelOf, type AgentSpec } from "../config.js";
import { DEFAULT_PRICES } from "../spend/cost.js";
import { unknownModelWarning, vendorOfAgent } from "../spend/model-usage.js";
import { checkAgent, checkGit, checkGpus } from "./doctor-checks.js";
import type {
  DoctorCheck,
  DoctorOptions,
  DoctorReport,
} from "./doctor-types.js";

/** Runs every check (in parallel) and returns the report; never throws for a failed check. */
export async function runDoctor(
  specs: AgentSpec[],
  env: NodeJS.ProcessEnv,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const gpu = specs.some((s) => s.capabilities.includes("gpu"))
    ? [checkGpus(env, options)]
    : [];
  const checks = await Promise.all([
    checkGit(env, options),
    ...specs.map(async (spec) =>
      withPriceWarning(await checkAgent(spec, env, options), spec, options),
    ),
    ...gpu,
  ]);
  return { ok: checks.every((c) => c.ok), checks };
}

/** The report as terminal lines: `ok`/`FAIL` per check, then the problem and its fix. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = report.checks.map((c) =>
    c.ok
      ? `ok    ${c.name}${c.detail ? `: ${c.detail}` : ""}${c.warning ? `\n      warning: ${c.warning}` : ""}`
      : `FAIL  ${c.name}: ${c.problem ?? "failed"}\n      fix: ${c.fix ?? "see the documentation"}`,
  );
  const failed = report.checks.filter((c) => !c.ok).length;
  lines.push(
    failed === 0 ? "All checks passed." : `${failed} check(s) failed.`,
  );
  return lines.join("\n") + "\n";
}

/** Adds a warning to an agent's check when its model is not in the price table. */
function withPriceWarning(
  check: DoctorCheck,
  spec: AgentSpec,
  options: DoctorOptions,
): DoctorCheck {
  const model = modelOf(spec);
  if (model === undefined || spec.kind === "command") return check;
  const warning = unknownModelWarning(
    model,
    options.prices ?? DEFAULT_PRICES,
    vendorOfAgent(spec),
  );
  if (warning === undefined) return check;
  return {
    ...check,
    warning: check.warning ? `${check.warning}; ${warning}` : warning,
  };
}
