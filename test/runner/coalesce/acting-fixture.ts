/**
 * A swarm repo for the coalescer's acting tests: two JS modules with one duplicated body, an oracle
 * whose cases run them (so a wrong "cleanup" fails a case the baseline holds), and prepared
 * cleanups a `command` agent copies over its workspace: one that keeps behaviour, one that breaks
 * it. The agent can be told to wait for a file, so tests can hold a coalescer mid-cleanup.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";

/** The duplicated body, as plain JS (node runs it without a build). */
export function jsBody(name: string): string {
  const lines = Array.from(
    { length: 8 },
    (_, i) =>
      `  const v${i} = input.map((x) => x * ${i + 1} + ${i * 3}).filter((y) => y % 7 !== ${i % 7});\n  total += v${i}.reduce((a, b) => a + b, 0);`,
  );
  return `export function ${name}(input) {\n  let total = 0;\n${lines.join("\n")}\n  return total;\n}\n`;
}

const SHARED = `${jsBody("sumOf")}`;
const INPUT = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]";

async function expectedOf(name: string): Promise<string> {
  const mod = (await import(
    `data:text/javascript,${encodeURIComponent(jsBody(name))}`
  )) as Record<string, (input: number[]) => number>;
  return `${mod[name]?.([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])}\n`;
}

export interface ActingRepo {
  root: string;
  fixture: SwarmFixture;
  /** Clones of the hub where `gitswarm coalesce --repo` runs (two, for the race test). */
  userDirs: string[];
  /** Where the prepared cleanups and the agent's trace files live. */
  scratch: string;
  cleanup(): Promise<void>;
}

/**
 * Creates the hub and `users` clones. The config's agent copies `<scratch>/<variant>/` over its
 * workspace, after waiting for `<scratch>/go` when `wait` is set (logging start/end lines to
 * `<scratch>/agent.log`).
 */
export async function createActingRepo(options: {
  variant: "good" | "bad";
  wait?: boolean;
  users?: number;
  lease?: string;
}): Promise<ActingRepo> {
  const scratch = await mkdtemp(
    path.join(os.tmpdir(), "gitswarm-coalesce-scratch-"),
  );
  const waitLine = options.wait
    ? `echo "start $$" >> ${scratch}/agent.log; echo $$ > ${scratch}/agent.pid; while [ ! -f ${scratch}/go ]; do sleep 0.1; done; `
    : "";
  const command = `${waitLine}cp -R ${scratch}/${options.variant}/. . && echo "end $$" >> ${scratch}/agent.log`;
  const config = (hub: string) =>
    [
      "hub:",
      `  url: ${hub}`,
      `lease: ${options.lease ?? "30s"}`,
      "oracle:",
      "  cases: cases/*.case",
      "  candidate: node run.mjs {case}",
      "  compare: exact",
      "  timeout: 20s",
      // The prepared cleanups and the agent's trace files are outside the clone.
      "sandbox:",
      `  readWrite: [${scratch}]`,
      "coalesce:",
      "  agent: cleaner",
      "  unused: off",
      "agents:",
      "  - name: cleaner",
      "    kind: command",
      `    command: ${JSON.stringify(command)}`,
      "",
    ].join("\n");
  const files: Record<string, string> = {
    "gitswarm.config.yaml": config("@@HUB@@"),
    "PROGRESS.md": "# Progress\n\n- [ ] feature: A feature\n",
    "run.mjs": `import path from "node:path";\nimport { alpha } from "./src/alpha.mjs";\nimport { beta } from "./src/beta.mjs";\nconst fns = { alpha, beta };\nconst name = path.basename(process.argv[2], ".case");\nconsole.log(fns[name](${INPUT}));\n`,
    "src/alpha.mjs": jsBody("alpha"),
    "src/beta.mjs": jsBody("beta"),
    "cases/alpha.case": "alpha\n",
    "cases/beta.case": "beta\n",
    "cases/alpha.case.expected": await expectedOf("alpha"),
    "cases/beta.case.expected": await expectedOf("beta"),
    "oracle/baseline.json": `${JSON.stringify({ version: 1, passing: ["cases/alpha.case", "cases/beta.case"] }, null, 2)}\n`,
  };
  const fixture = await createSwarmFixture(files);
  await fixture.pushToMain(
    { "gitswarm.config.yaml": config(fixture.hubDir) },
    "config: the hub",
  );
  const userDirs: string[] = [];
  for (let i = 0; i < (options.users ?? 1); i += 1) {
    const ws = await fixture.clone(`user${i}`);
    userDirs.push(ws.dir);
  }
  // The cleanup that keeps behaviour: one shared function, both modules delegate to it.
  await writeTree(path.join(scratch, "good"), {
    "src/shared.mjs": SHARED,
    "src/alpha.mjs":
      'import { sumOf } from "./shared.mjs";\nexport const alpha = (input) => sumOf(input);\n',
    "src/beta.mjs":
      'import { sumOf } from "./shared.mjs";\nexport const beta = (input) => sumOf(input);\n',
  });
  // The "duplicates" that were not: beta differed in an edge the cleanup drops (its result moves by one).
  await writeTree(path.join(scratch, "bad"), {
    "src/shared.mjs": SHARED,
    "src/alpha.mjs":
      'import { sumOf } from "./shared.mjs";\nexport const alpha = (input) => sumOf(input);\n',
    "src/beta.mjs":
      'import { sumOf } from "./shared.mjs";\nexport const beta = (input) => sumOf(input) + 1;\n',
  });
  return {
    root: fixture.root,
    fixture,
    userDirs,
    scratch,
    async cleanup() {
      await fixture.cleanup();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

async function writeTree(
  dir: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}
