/**
 * The GitHub Actions workflow `gitswarm init` writes: on each push, run the oracle against the
 * committed recording (no reference binary needed in CI), gate with the ratchet, and publish the
 * JUnit report.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { GITSWARM_VERSION } from "../coordination/base/version.js";

/** Where the workflow goes in the swarm repo. */
export const CI_WORKFLOW_PATH = ".github/workflows/gitswarm-oracle.yml";

/** Options of the workflow text. */
export interface CiWorkflowOptions {
  /** How CI invokes gitswarm; default: the pinned copy the workflow finds or installs. */
  gitswarmCommand?: string;
  nodeVersion?: string;
  /** The exact gitswarm version CI must run (default: this gitswarm's, the one writing it). */
  version?: string;
  /** What npm installs when the repo does not pin gitswarm itself (default `gitswarm@<version>`). */
  source?: string;
}

/**
 * The shell that finds the gitswarm CI runs, never an unpinned one: the repo's own (a
 * devDependency, fixed by its lockfile), else the exact version and source that wrote the workflow,
 * installed without its scripts into a temp prefix; either must answer `--version` with exactly
 * that version, or the step fails saying why. No `npx --yes`: it would fetch whatever holds the name.
 */
function resolveGitswarm(version: string): string {
  return `want="gitswarm ${version}"
if [ -x node_modules/.bin/gitswarm ]; then
  gitswarm="$PWD/node_modules/.bin/gitswarm"
elif [ -n "$GITSWARM_SOURCE" ]; then
  prefix="\${RUNNER_TEMP:-/tmp}/gitswarm-ci"
  npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$prefix" "$GITSWARM_SOURCE" || { echo "::error::could not install $GITSWARM_SOURCE; pin gitswarm as a devDependency (npm i -D gitswarm@${version})"; exit 1; }
  gitswarm="$prefix/node_modules/.bin/gitswarm"
else
  echo "::error::gitswarm is not installed here and GITSWARM_SOURCE is empty; pin it (npm i -D gitswarm@${version}) or set GITSWARM_SOURCE"
  exit 1
fi
got=$("$gitswarm" --version 2>/dev/null || true)
if [ "$got" != "$want" ]; then
  echo "::error::expected $want (the version that wrote this workflow), found '$got' at $gitswarm; refusing to run it"
  exit 1
fi`;
}

/** The workflow YAML text (pure). */
export function ciWorkflowYaml(options: CiWorkflowOptions = {}): string {
  const version = options.version ?? GITSWARM_VERSION;
  const source = options.source ?? `gitswarm@${version}`;
  const gitswarm = options.gitswarmCommand ?? '"$gitswarm"';
  const resolve =
    options.gitswarmCommand === undefined
      ? `${resolveGitswarm(version)}\n`
      : "";
  const node = options.nodeVersion ?? "20";
  const indent = (text: string) =>
    text
      .split("\n")
      .map((l) => (l === "" ? l : `          ${l}`))
      .join("\n");
  return `# Written by 'gitswarm init' (gitswarm ${version}): runs the oracle against the committed recording
# (oracle/expected/) on every push, so CI needs no reference binary. Refresh the recording with
# 'gitswarm oracle record'. Add the steps that build your candidate before the oracle step.
# CI runs exactly gitswarm ${version}: the repo's devDependency, else GITSWARM_SOURCE; never an
# unpinned package fetched by name.
name: gitswarm oracle
on:
  push:
  pull_request:
permissions:
  contents: read
  checks: write
jobs:
  oracle:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    env:
      GITSWARM_SOURCE: '${source}'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: '${node}'
      - name: Install dependencies
        run: if [ -f package-lock.json ]; then npm ci; fi
      - name: Oracle
        # --ratchet: fails only when a case in oracle/baseline.json stops passing.
        run: |
          if ! grep -q '^oracle:' gitswarm.config.yaml 2>/dev/null; then
            echo "gitswarm.config.yaml has no oracle: section yet; nothing to run."
            exit 0
          fi
${indent(`${resolve}${gitswarm} oracle --recording only --ratchet --junit oracle-junit.xml`)}
      - uses: actions/upload-artifact@v4
        if: always() && hashFiles('oracle-junit.xml') != ''
        with:
          name: oracle-junit
          path: oracle-junit.xml
      - uses: mikepenz/action-junit-report@v5
        if: always() && hashFiles('oracle-junit.xml') != ''
        with:
          report_paths: oracle-junit.xml
          check_name: gitswarm oracle
`;
}

/** Writes the workflow to `.github/workflows/gitswarm-oracle.yml` in `repoDir`; returns its path. */
export async function writeCiWorkflow(
  repoDir: string,
  options: CiWorkflowOptions = {},
): Promise<string> {
  const file = path.join(repoDir, CI_WORKFLOW_PATH);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, ciWorkflowYaml(options));
  return file;
}
