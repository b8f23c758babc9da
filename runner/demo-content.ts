/**
 * What the offline demo changes in its copy of the SQL example, as pure functions over text: which
 * cases it keeps (runner/demo/cases.txt), its config (a short lease so a killed agent's lock is
 * broken within the minute), its recording manifest and its baseline (only kept cases).
 */
import type { Baseline } from "../oracle/index.js";

/** The three scripted agents; the runner SIGKILLs the last one mid-task to show lease recovery. */
export const DEMO_AGENTS = [
  "scripted-ada",
  "scripted-brian",
  "scripted-cleo",
] as const;

/**
 * The demo's lease: short, so a SIGKILLed agent's lock is broken within the minute, yet longer than
 * the heartbeat gaps a loaded 2-core machine shows while it runs two oracle gates (6-9 s measured
 * with 4s: live holders lost their locks).
 */
export const DEMO_LEASE = "10s";

/**
 * The demo's coalescer: after every 3 landed tasks. candidate/format.mjs starts with a deliberate
 * duplicate (runner/demo/duplicate/) that the scripted cleanup (scripts/swarm-coalesce/) removes;
 * knip is off to keep the demo quick, and the archive too: the demo's PROGRESS.md keeps its story.
 */
export const DEMO_COALESCE = `# The coalescer runs after every 3 landed tasks and removes the deliberate duplicate in
# candidate/format.mjs through the oracle gate.
coalesce:
  every: 3
  unused: off
  archive: false
`;

/**
 * The demo's merge queue: agents enqueue their work and move on; the runner's lander gates each
 * batch with the full oracle once and lands it in one atomic push.
 */
export const DEMO_QUEUE = `# The merge queue: agents enqueue; one lander gates batches with the full oracle once.
queue:
  enabled: true
  batch: { min: 1, max: 4 }
`;

/** The case ids (`cases/NAME.sql`) listed in cases.txt; `#` starts a comment line. */
export function parseCaseList(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((name) => `cases/${name}`);
}

/**
 * True when a path of the example (relative, POSIX) belongs in the demo copy: no caches or
 * installed modules, and of the cases, their expected files and recorded outputs only kept ones.
 */
export function keepsExamplePath(
  relative: string,
  kept: ReadonlySet<string>,
): boolean {
  const top = relative.split("/")[0];
  if (top === ".gitswarm" || top === "node_modules") return false;
  const recorded = /^oracle\/expected\/(cases\/[^/]+)\.out$/.exec(
    relative,
  )?.[1];
  if (recorded !== undefined) return kept.has(recorded);
  const inCases = /^(cases\/[^/]+?\.sql)(?:\.expected)?$/.exec(relative)?.[1];
  if (inCases !== undefined) return kept.has(inCases);
  return true;
}

/**
 * The demo's config: the example's, with the demo lease and a candidate started with V8's baseline
 * wasm compiler only (`--liftoff-only`), which starts sql.js in about two thirds of the time.
 * Throws when the example's config no longer has the lines this edits (a bug to fix here).
 */
export function demoConfig(exampleConfig: string): string {
  const candidate = /^(\s*candidate: ')node (candidate\/run\.mjs)/m;
  if (!candidate.test(exampleConfig) || /^lease:/m.test(exampleConfig))
    throw new Error(
      `the SQL example's gitswarm.config.yaml changed shape; update demoConfig() in runner/demo-content.ts`,
    );
  const edited = exampleConfig.replace(candidate, "$1node --liftoff-only $2");
  return `# The gitswarm demo: a lease of ${DEMO_LEASE} so a killed agent's claim is broken within the minute.\nlease: ${DEMO_LEASE}\n${edited}${DEMO_COALESCE}${DEMO_QUEUE}`;
}

/** A recording manifest (JSON text) holding only the kept cases. */
export function trimManifest(
  manifestText: string,
  kept: ReadonlySet<string>,
): string {
  const manifest = JSON.parse(manifestText) as {
    cases: Record<string, unknown>;
  };
  manifest.cases = Object.fromEntries(
    Object.entries(manifest.cases).filter(([id]) => kept.has(id)),
  );
  return JSON.stringify(manifest, null, 2) + "\n";
}

/** The demo's baseline: the example's passing cases that the demo keeps, minus its tasks' cases. */
export function demoBaseline(
  example: Baseline,
  kept: ReadonlySet<string>,
  taskCases: readonly string[],
): Baseline {
  const open = new Set(taskCases);
  return {
    version: 1,
    passing: example.passing
      .filter((id) => kept.has(id) && !open.has(id))
      .sort(),
  };
}
