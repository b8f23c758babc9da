/**
 * Where the detectors gitswarm ships with live: resolved from gitswarm's own node_modules, so they
 * run the pinned versions whatever the scanned repository has installed.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { SwarmError } from "../../../coordination/base/errors.js";

const require = createRequire(import.meta.url);

/** The pinned detector tools, with the script of each package's `bin` relative to its folder. */
const TOOLS = {
  jscpd: { entry: "jscpd/package.json", up: 0, bin: "run-jscpd.js" },
  // knip's exports do not list package.json: resolve its main (dist/index.js) and go up one.
  knip: { entry: "knip", up: 1, bin: "bin/knip.js" },
} as const;

/** The script to run with `node` for a pinned detector tool; SwarmError when it is not installed. */
export function resolveToolScript(tool: keyof typeof TOOLS): string {
  const { entry, up, bin } = TOOLS[tool];
  let dir: string;
  try {
    dir = path.dirname(require.resolve(entry));
  } catch (error) {
    throw new SwarmError(
      "detector-missing",
      `the ${tool} package is not installed next to gitswarm; run 'npm ci' in the gitswarm folder`,
      { cause: error },
    );
  }
  for (let i = 0; i < up; i += 1) dir = path.dirname(dir);
  const script = path.join(dir, bin);
  if (!existsSync(script))
    throw new SwarmError(
      "detector-missing",
      `${script} is missing; reinstall with 'npm ci' in the gitswarm folder`,
    );
  return script;
}
