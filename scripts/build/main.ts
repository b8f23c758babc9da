/**
 * `npm run build` (and `prepack`, so `npm pack` and `npm publish` build too; not `prepare`, which
 * npm would also list as an install script of the package a user installs): compiles the sources to
 * JavaScript in dist/ with tsc, emits type declarations for the package's exports, writes the
 * `--help` index, and last dist/build-info.json, whose time bin/gitswarm compares with the sources'.
 *
 * Why tsc and not a bundler: the output mirrors the sources file for file (stack traces and
 * import.meta paths read the same), it needs no new dependency, and targets Node 20.19 as is.
 * Start-up comes from loading less (lazy commands, the help index), not from bundling. The two
 * bundles are browser code (esbuild): the dashboard's page (runner/dashboard/page-assets.ts) and
 * the analytics report's charts (scripts/analytics/render/chart-script.ts). uPlot goes into both
 * at build time, so it is a devDependency.
 */
import { rename, rm, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runProcess, decode } from "../../coordination/base/spawn.js";
import { PACKAGE_ROOT } from "../../coordination/base/package-root.js";
import { bundlePage } from "../../runner/dashboard/page-assets.js";
import { writeChartScript } from "../analytics/render/chart-script.js";
import type * as CommandIndex from "../../runner/cli/commands/index.js";
import type * as HelpIndex from "../../runner/cli/help-index.js";

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const DIST = path.join(PACKAGE_ROOT, "dist");
// Built beside dist/ and swapped in at the end: a CLI or agent process running from dist/ while
// a build runs keeps finding every module it imports later.
const OUT = path.join(PACKAGE_ROOT, `.dist-build-${process.pid}`);
const BUILD_INFO = path.join(OUT, "build-info.json");

// tsc exit codes: 0 clean, 2 type errors but JavaScript emitted, anything else nothing emitted.
const EMITTED = new Set([0, 2]);

async function compile(project: string): Promise<boolean> {
  const args = [TSC, "-p", project, "--outDir", OUT];
  const result = await runProcess(process.execPath, args, {
    cwd: PACKAGE_ROOT,
    timeoutMs: 600_000,
  });
  const output = decode(result.stdout) + decode(result.stderr);
  if (!EMITTED.has(result.exitCode ?? -1)) {
    process.stderr.write(output);
    throw new Error(`tsc -p ${project} failed (exit ${result.exitCode})`);
  }
  if (result.exitCode === 2)
    process.stderr.write(
      `${output}build: ${project} has type errors (JavaScript emitted anyway; 'npm run typecheck' is the gate)\n`,
    );
  return result.exitCode === 0;
}

const startedAt = new Date();
try {
  await build(startedAt);
} finally {
  await rm(OUT, { recursive: true, force: true });
}
process.stdout.write(
  `build: dist/ in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s\n`,
);

async function build(startedAt: Date): Promise<void> {
  await rm(OUT, { recursive: true, force: true });
  const [clean] = await Promise.all([
    compile("tsconfig.build.json"),
    compile("tsconfig.types.json"),
  ]);
  // The dashboard's page: one script and one stylesheet, bundled (no network at run time).
  await bundlePage(path.join(OUT, "runner", "dashboard", "page"));
  // The analytics report's chart script (uPlot), inlined into each report it writes.
  await writeChartScript(path.join(OUT, "scripts", "analytics", "render"));
  const { loadAllCommands } = (await import(
    pathToFileURL(path.join(OUT, "runner", "cli", "commands", "index.js")).href
  )) as typeof CommandIndex;
  const { writeHelpIndex } = (await import(
    pathToFileURL(path.join(OUT, "runner", "cli", "help-index.js")).href
  )) as typeof HelpIndex;
  // A command that cannot load fails `gitswarm` itself when used; here it costs only the index
  // (`--help` then loads the commands, slowly), so a broken command does not break `npm ci`.
  await loadAllCommands().then(writeHelpIndex, (error: Error) =>
    process.stderr.write(
      `build: no --help index (a command does not load): ${error.message}\n`,
    ),
  );
  await writeFile(
    BUILD_INFO,
    `${JSON.stringify({ startedAt: startedAt.toISOString(), typeErrors: !clean }, null, 2)}\n`,
  );
  // Dated at the start: a source saved while tsc ran is newer, so that build counts as stale.
  await utimes(BUILD_INFO, startedAt, startedAt);
  const old = `${OUT}-old`;
  await rename(DIST, old).catch(() => undefined);
  await rename(OUT, DIST);
  await rm(old, { recursive: true, force: true });
}
