/**
 * The GitHub Actions workflow `gitswarm init` writes: on each push, run the oracle against the
 * committed recording (no reference binary needed in CI), gate with the ratchet, and publish the
 * JUnit report.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** Where the workflow goes in the swarm repo. */
export const CI_WORKFLOW_PATH = ".github/workflows/gitswarm-oracle.yml";

/** Options of the workflow text; by default CI runs gitswarm with npx (the repo's own copy when it has one). */
export interface CiWorkflowOptions {
  /** How CI invokes gitswarm (default `npx --yes gitswarm`). */
  gitswarmCommand?: string;
  nodeVersion?: string;
}

/** The workflow YAML text (pure). */
export function ciWorkflowYaml(options: CiWorkflowOptions = {}): string {
  const gitswarm = options.gitswarmCommand ?? "npx --yes gitswarm";
  const node = options.nodeVersion ?? "20";
  return `# Written by 'gitswarm init': runs the oracle against the committed recording (oracle/expected/)
# on every push, so CI needs no reference binary. Refresh the recording with 'gitswarm oracle record'.
# Add the steps that build your candidate before the oracle step.
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
          ${gitswarm} oracle --recording only --ratchet --junit oracle-junit.xml
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
