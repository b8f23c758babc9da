/**
 * Unused files, exports and dependencies of a JS/TS repository, found by knip (pinned 6.44.2, runs
 * on Node 20.19+). Only where the repository has a package.json; elsewhere it reports nothing.
 */
import { access, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { SwarmError } from "../../../coordination/base/errors.js";
import { decode, runProcess } from "../../../coordination/base/spawn.js";
import type { Finding } from "../findings.js";
import { resolveToolScript } from "./tool-path.js";

/**
 * Runs knip over `dir` (when it has a package.json). The scanned clone has no installed packages,
 * and knip needs them (to load configs such as vitest.config.ts and to judge dependencies): the
 * user's `node_modules` is linked in for the run and the link removed after, so a clone never
 * carries it. SwarmError when knip fails.
 */
export async function detectUnused(
  dir: string,
  options: { timeoutMs: number; signal?: AbortSignal; modulesFrom?: string },
): Promise<Finding[]> {
  const exists = (file: string) =>
    access(file).then(
      () => true,
      () => false,
    );
  if (!(await exists(path.join(dir, "package.json")))) return [];
  const modules = path.join(dir, "node_modules");
  const source =
    options.modulesFrom === undefined
      ? undefined
      : path.join(options.modulesFrom, "node_modules");
  const link =
    source !== undefined &&
    source !== modules &&
    !(await exists(modules)) &&
    (await exists(source));
  if (link) await symlink(source, modules, "dir");
  try {
    return await runKnip(dir, options);
  } finally {
    if (link) await rm(modules, { force: true });
  }
}

async function runKnip(
  dir: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<Finding[]> {
  const args = [
    resolveToolScript("knip"),
    "--reporter",
    "json",
    "--no-progress",
    "--no-exit-code",
    "--no-config-hints",
    "--include",
    "files,dependencies,exports,types",
  ];
  const result = await runProcess(process.execPath, args, {
    cwd: dir,
    env: { CI: "1", NO_COLOR: "1" },
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  const stdout = decode(result.stdout);
  const start = stdout.indexOf("{");
  if (result.exitCode !== 0 || start < 0) {
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs} ms (raise coalesce.timeout)`
      : decode(result.stderr).trim().slice(-400) || `exit ${result.exitCode}`;
    throw new SwarmError(
      "detector-failed",
      `knip failed in ${dir}: ${why} (set coalesce.unused: off to skip it)`,
    );
  }
  return parseKnipReport(stdout.slice(start));
}

interface KnipIssue {
  file: string;
  files?: { name: string }[];
  dependencies?: { name: string }[];
  devDependencies?: { name: string }[];
  exports?: { name: string; line?: number }[];
  types?: { name: string; line?: number }[];
}

/** knip's JSON report as findings. Pure; throws on text that is not JSON. */
export function parseKnipReport(text: string): Finding[] {
  const report = JSON.parse(text) as { issues?: KnipIssue[] };
  return (report.issues ?? []).flatMap((issue): Finding[] => {
    const file = issue.file;
    const unusedFiles = (issue.files ?? []).map((f): Finding => ({
      kind: "unused-file",
      files: [f.name],
      detail: `${f.name} is not imported by any entry point`,
      fix: `delete ${f.name} if nothing loads it dynamically`,
    }));
    const deps = [
      ...(issue.dependencies ?? []),
      ...(issue.devDependencies ?? []),
    ].map((d): Finding => ({
      kind: "unused-dependency",
      files: [file],
      detail: `${file} lists '${d.name}', which no file imports`,
      fix: `remove '${d.name}' from ${file} (npm uninstall ${d.name})`,
    }));
    const exports = [...(issue.exports ?? []), ...(issue.types ?? [])].map(
      (e): Finding => ({
        kind: "unused-export",
        files: [file],
        ...(e.line === undefined
          ? {}
          : { lines: [`${file}:${e.line}-${e.line}`] }),
        detail: `'${e.name}' is exported by ${file} but never imported`,
        fix: `stop exporting '${e.name}' (or delete it if ${file} does not use it either)`,
      }),
    );
    return [...unusedFiles, ...deps, ...exports];
  });
}
