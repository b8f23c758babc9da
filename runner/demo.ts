/**
 * The offline demo's set-up (`gitswarm run --demo`): a fresh git repo in a temp dir holding a copy
 * of the oracle's SQL example with a sample of its cases, the demo's PROGRESS.md (only tasks the
 * scripted agents have prepared changes for), a short lease, and a baseline that matches the copied
 * candidate. The runner then swarms on it with scripted agents (agents/local/scripted-agent.ts).
 */
import {
  appendFile,
  cp,
  mkdtemp,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Git } from "../coordination/git/git.js";
import { parseProgress } from "../coordination/progress/parse.js";
import { readBaseline, writeBaseline } from "../oracle/index.js";
import { parseDuration } from "../coordination/base/duration.js";
import { SwarmError } from "../coordination/base/errors.js";
import { PACKAGE_ROOT } from "../coordination/base/package-root.js";
import {
  DEMO_AGENTS,
  DEMO_LEASE,
  demoBaseline,
  demoConfig,
  keepsExamplePath,
  parseCaseList,
  trimManifest,
} from "./demo-content.js";

const GITSWARM_ROOT = PACKAGE_ROOT;
const EXAMPLE_DIR = path.join(GITSWARM_ROOT, "oracle", "examples", "sql");
const DEMO_DIR = path.join(GITSWARM_ROOT, "runner", "demo");
/** Where the scripted agents' prepared changes live: `<task-id>/attempt-<k>/<files>`. */
export const DEMO_SCRIPT_DIR = path.join(DEMO_DIR, "scripts");
const MANIFEST = "oracle/expected/manifest.json";

/** What the runner needs to run the demo. */
export interface DemoSetup {
  /** The demo's swarm repo (a fresh git repo, one commit on `main`). */
  repoDir: string;
  /** The scripted agents' folder, for `createScriptedAgent(name, scriptDir)`. */
  scriptDir: string;
  agents: { name: string }[];
  /** The agent to SIGKILL mid-task, so its stale lock is broken and its work resumed. */
  killAgent: string;
  /** The lease in the demo repo's config. */
  leaseMs: number;
}

/**
 * Creates the demo repo under `baseDir` (default: the OS temp dir). Throws SwarmError
 * `demo-broken` when gitswarm's own demo files and the example disagree (a case listed in
 * runner/demo/cases.txt is missing): that is a bug in this checkout, not the user's doing.
 */
export async function prepareDemo(
  options: { baseDir?: string } = {},
): Promise<DemoSetup> {
  const root = await mkdtemp(
    path.join(options.baseDir ?? tmpdir(), "gitswarm-demo-"),
  );
  const repoDir = path.join(root, "sql-shell");
  const progress = await readFile(path.join(DEMO_DIR, "PROGRESS.md"), "utf8");
  const tasks = parseProgress(progress).tasks.filter(
    (task) => task.status === "open",
  );
  const taskCases = tasks.flatMap((task) => task.cases);
  // The open tasks' cases always come along (those a task adds itself are not in the example yet).
  const listed = parseCaseList(
    await readFile(path.join(DEMO_DIR, "cases.txt"), "utf8"),
  );
  const kept = new Set([
    ...listed,
    ...(await existing(EXAMPLE_DIR, taskCases)),
  ]);
  await cp(EXAMPLE_DIR, repoDir, {
    recursive: true,
    filter: (source) =>
      keepsExamplePath(
        path.relative(EXAMPLE_DIR, source).split(path.sep).join("/"),
        kept,
      ),
  });
  for (const id of kept) {
    if (!(await exists(path.join(repoDir, id))))
      throw new SwarmError(
        "demo-broken",
        `${id} is listed in runner/demo/cases.txt but missing from ${EXAMPLE_DIR}`,
      );
  }
  // A deliberate duplicate (candidate/format.mjs) for the coalescer to remove through the gate.
  await cp(path.join(DEMO_DIR, "duplicate"), repoDir, { recursive: true });
  await writeFile(path.join(repoDir, "PROGRESS.md"), progress);
  const config = path.join(repoDir, "gitswarm.config.yaml");
  await writeFile(config, demoConfig(await readFile(config, "utf8")));
  await writeFile(
    path.join(repoDir, MANIFEST),
    trimManifest(await readFile(path.join(repoDir, MANIFEST), "utf8"), kept),
  );
  // The copied candidate must not already hold a feature a task is to add: its cases must fail.
  for (const task of tasks)
    await rm(path.join(repoDir, "candidate", "features", `${task.id}.mjs`), {
      force: true,
    });
  const baseline = demoBaseline(await readBaseline(repoDir), kept, taskCases);
  await writeBaseline(repoDir, baseline);
  await linkModules(repoDir);
  await commitAll(repoDir);
  return {
    repoDir,
    scriptDir: DEMO_SCRIPT_DIR,
    agents: DEMO_AGENTS.map((name) => ({ name })),
    killAgent: DEMO_AGENTS[DEMO_AGENTS.length - 1] as string,
    leaseMs: parseDuration(DEMO_LEASE) ?? 10_000,
  };
}

// The candidate imports sql.js: the node_modules that serves gitswarm's own copy (hoisted or not)
// serves the repo and every agent workspace under .gitswarm/workspaces/ (Node searches parents).
async function linkModules(repoDir: string): Promise<void> {
  const entry = createRequire(import.meta.url).resolve("sql.js");
  const marker = `${path.sep}node_modules${path.sep}`;
  const modules = entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
  const link = path.join(repoDir, "node_modules");
  await symlink(modules, link, "dir");
  await appendFile(path.join(repoDir, ".gitignore"), "node_modules\n");
  // A sandboxed candidate sees only its clone: lend it the link its Node finds sql.js through.
  await appendFile(
    path.join(repoDir, "gitswarm.config.yaml"),
    `sandbox:\n  readOnly: [${JSON.stringify(link)}]\n`,
  );
}

async function commitAll(repoDir: string): Promise<void> {
  const git = new Git(repoDir);
  await git.run(["init", "--quiet", "--initial-branch=main"]);
  // A local identity: the demo must work on a machine where git was never configured.
  await git.run(["config", "user.name", "gitswarm demo"]);
  await git.run(["config", "user.email", "demo@gitswarm.invalid"]);
  await git.run(["add", "--all"]);
  await git.run([
    "commit",
    "--quiet",
    "--no-verify",
    "-m",
    "The SQL example, as the gitswarm demo starts it",
  ]);
}

async function existing(
  dir: string,
  ids: readonly string[],
): Promise<string[]> {
  const found: string[] = [];
  for (const id of ids) if (await exists(path.join(dir, id))) found.push(id);
  return found;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
