/**
 * The ratchet: a baseline of passing cases lives in the repo at `oracle/baseline.json`. A run that
 * turns any baseline case into a failing one is rejected (naming the cases); newly passing cases
 * raise the baseline. The decision is a pure function; reading and writing are at the edges.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../coordination/base/errors.js";
import type { OracleReport } from "./types.js";

/** Where the baseline lives, relative to the swarm repository. */
export const BASELINE_PATH = "oracle/baseline.json";

/** The baseline: the ids of cases known to pass, sorted. */
export interface Baseline {
  version: 1;
  passing: string[];
}

/** The ratchet's decision: the new baseline, or the cases that regressed. */
export type RatchetResult =
  | { ok: true; baseline: Baseline; raised: string[] }
  | { ok: false; regressions: string[] };

/** Reads the baseline; an empty one when the file does not exist; UserError when it is corrupt. */
export async function readBaseline(repoDir: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path.join(repoDir, BASELINE_PATH), "utf8");
  } catch {
    return { version: 1, passing: [] };
  }
  try {
    const parsed = JSON.parse(text) as Baseline;
    if (
      !Array.isArray(parsed.passing) ||
      !parsed.passing.every((id) => typeof id === "string")
    )
      throw new Error('"passing" must be a list of case ids');
    return { version: 1, passing: [...parsed.passing].sort() };
  } catch (error) {
    throw new UserError(
      "oracle-baseline-corrupt",
      `${BASELINE_PATH}: ${(error as Error).message}; fix it or delete it to start a new baseline`,
      { cause: error },
    );
  }
}

/**
 * Applies the ratchet (pure). A baseline case that failed is a regression; a case that was not run
 * (sampling) or was skipped is not. On success, passing cases join the baseline; after a full run
 * (no sample) baseline cases that no longer exist leave it.
 */
export function applyRatchet(
  baseline: Baseline,
  report: Pick<OracleReport, "cases" | "sample">,
): RatchetResult {
  const status = new Map(report.cases.map((c) => [c.id, c.status]));
  const regressions = baseline.passing.filter(
    (id) => status.get(id) === "failed",
  );
  if (regressions.length > 0) return { ok: false, regressions };
  const known = new Set(baseline.passing);
  const raised = report.cases
    .filter((c) => c.status === "passed" && !known.has(c.id))
    .map((c) => c.id)
    .sort();
  const kept =
    report.sample === undefined
      ? baseline.passing.filter((id) => status.has(id))
      : baseline.passing;
  return {
    ok: true,
    baseline: {
      version: 1,
      passing: [...new Set([...kept, ...raised])].sort(),
    },
    raised,
  };
}

/** The baseline file's text: one id per line in the JSON, so diffs are readable. Pure. */
export function renderBaseline(baseline: Baseline): string {
  return (
    JSON.stringify(
      { version: 1, passing: [...baseline.passing].sort() },
      null,
      2,
    ) + "\n"
  );
}

/** Writes the baseline (see {@link renderBaseline}). */
export async function writeBaseline(
  repoDir: string,
  baseline: Baseline,
): Promise<void> {
  const file = path.join(repoDir, BASELINE_PATH);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderBaseline(baseline));
}
