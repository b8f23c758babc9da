/**
 * All the coalescer's detectors over one tree (a clone checked out at the hub's main) and the
 * swarm state: duplicated code, unused code, the project's own detectors, PROGRESS.md, docs and
 * coordination drift. Deterministic and free: no model is called.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseDuration } from "../../../coordination/base/duration.js";
import { Git } from "../../../coordination/git/git.js";
import type { HubBranch } from "../../../coordination/git/hub-branches.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { loadOracleConfig } from "../../../oracle/index.js";
import type { SwarmState } from "../../../coordination/protocol/swarm-state.js";
import type { CoalesceConfig } from "../config.js";
import { runConfiguredDetector } from "./detect-configured.js";
import { detectDuplicates } from "./detect-duplicates.js";
import { detectUnused } from "./detect-unused.js";
import {
  findCoordinationDrift,
  type PrunableBranch,
} from "./drift-coordination.js";
import { findDocDrift, ignoredNames } from "./drift-docs.js";
import { findProgressDrift } from "./drift-progress.js";
import {
  countFindings,
  sortFindings,
  type Figures,
  type Finding,
} from "../findings.js";

/** What one detection pass found. */
export interface Detection {
  findings: Finding[];
  figures: Figures;
  /** Work branches of done tasks past the retention (the deterministic prune acts on these). */
  prunable: PrunableBranch[];
}

export interface DetectInput {
  /** The user's repo (where gitswarm.config.yaml is, for messages naming its lines). */
  repoDir: string;
  /** The tree to scan: a clone at the hub's main. */
  dir: string;
  config: CoalesceConfig;
  state: SwarmState;
  branches: readonly HubBranch[];
  /** The `gitswarm` subcommands that exist (docs are checked against them). */
  commands: readonly string[];
  now?: Date;
  signal?: AbortSignal;
}

/** Runs every detector; UserError when a configured detector is missing, hangs or prints garbage. */
export async function detectFindings(input: DetectInput): Promise<Detection> {
  const code = await detectCode(
    input.repoDir,
    input.dir,
    input.config,
    input.signal,
  );
  const tree = await readTree(input.dir, input.config.docs);
  const progress =
    tree.progress === undefined
      ? []
      : findProgressDrift(
          parseProgress(tree.progress, "PROGRESS.md"),
          input.config.progress,
        );
  const docs = findDocDrift({
    docs: tree.docs,
    files: tree.files,
    commands: input.commands,
    scripts: tree.scripts,
    packageName: tree.packageName,
    ignored: tree.ignored,
    external: input.config.externalPaths,
  });
  const retentionMs = parseDuration(input.config.retention) ?? 7 * 86_400_000;
  const coordination = findCoordinationDrift(input.state, input.branches, {
    now: input.now ?? new Date(),
    retentionMs,
    retention: input.config.retention,
  });
  const findings = sortFindings([
    ...code,
    ...progress,
    ...docs,
    ...coordination.findings,
  ]);
  return {
    findings,
    figures: countFindings(findings),
    prunable: coordination.prunable,
  };
}

/**
 * The code detectors alone (duplicates, unused code, configured detectors): what a cleanup is
 * judged by, run again on the cleaned tree.
 */
export async function detectCode(
  repoDir: string,
  dir: string,
  config: CoalesceConfig,
  signal?: AbortSignal,
): Promise<Finding[]> {
  const timeoutMs = parseDuration(config.timeout) ?? 300_000;
  const findings: Finding[] = [];
  if (config.duplicates.enabled) {
    // Oracle cases repeat their set-up by design, and are the gate's, never a cleanup's to merge.
    const ignore = [
      ...config.duplicates.ignore,
      ...(await oracleCaseGlobs(dir)),
    ];
    findings.push(
      ...(await detectDuplicates(
        dir,
        { ...config.duplicates, ignore },
        { timeoutMs, signal },
      )),
    );
  }
  if (config.unused === "auto")
    findings.push(
      ...(await detectUnused(dir, { timeoutMs, signal, modulesFrom: repoDir })),
    );
  for (const [index, detector] of config.detectors.entries())
    findings.push(
      ...(await runConfiguredDetector(repoDir, dir, detector, index, signal)),
    );
  return sortFindings(findings);
}

/** The oracle's case globs (and their expected outputs and recordings) in the tree at `dir`. */
async function oracleCaseGlobs(dir: string): Promise<string[]> {
  const config = await loadOracleConfig(dir).catch(() => undefined);
  if (config === undefined) return [];
  return [
    ...config.cases.flatMap((glob) => [glob, `${glob}${config.expectSuffix}`]),
    `${config.recordingDir}/**`,
  ];
}

async function readTree(dir: string, docNames: readonly string[]) {
  const listing = await new Git(dir).run(["ls-files", "-z"]);
  const files = listing.split("\0").filter((f) => f !== "");
  const read = (name: string) =>
    readFile(path.join(dir, name), "utf8").catch(() => undefined);
  const docs = (
    await Promise.all(
      docNames.map(async (file) => ({ file, text: await read(file) })),
    )
  ).filter((d): d is { file: string; text: string } => d.text !== undefined);
  const pkg = await read("package.json");
  let scripts: string[] = [];
  let packageName: string | undefined;
  try {
    const manifest =
      pkg === undefined
        ? {}
        : (JSON.parse(pkg) as { scripts?: object; name?: unknown });
    scripts = Object.keys(manifest.scripts ?? {});
    if (typeof manifest.name === "string") packageName = manifest.name;
  } catch {
    // A broken package.json is knip's finding to report, not a reason to stop the scan.
  }
  const ignored = ignoredNames((await read(".gitignore")) ?? "");
  return {
    files,
    docs,
    scripts,
    packageName,
    ignored,
    progress: await read("PROGRESS.md"),
  };
}
