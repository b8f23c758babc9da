/**
 * `gitswarm init`: turns an empty (or any) git repository into a swarm repo, or — in an existing
 * swarm repo or a fresh clone of one — sets up only what a clone needs (the merge driver).
 * Idempotent: files that exist are never overwritten.
 */
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Git } from "../coordination/git/git.js";
import { installMergeDriver } from "../coordination/git/guard/merge-driver-setup.js";
import { renderCommitMessage } from "../coordination/git/trailers.js";
import { GITSWARM_VERSION } from "../coordination/base/version.js";
import { CI_WORKFLOW_PATH, ciWorkflowYaml } from "../oracle/index.js";
import {
  CONFIG_TEMPLATE,
  DESIGN_TEMPLATE,
  ORACLE_README,
  PROGRESS_TEMPLATE,
} from "./init-templates.js";

export interface InitResult {
  /** Files written (relative paths); empty in an existing swarm repo. */
  created: string[];
  /** The init commit, when files were written. */
  commit?: string;
  /** True when the repo already was a swarm repo (had PROGRESS.md). */
  existing: boolean;
}

const IGNORED = [".gitswarm/"];

/** Scaffolds the swarm repo at `dir` (running `git init` first if it is not a repository). */
export async function initSwarmRepo(dir: string): Promise<InitResult> {
  await mkdir(dir, { recursive: true });
  const git = new Git(dir);
  if (!(await git.tryRun(["rev-parse", "--git-dir"])).ok)
    await git.run(["init", "--quiet", "--initial-branch=main"]);
  const existing = await exists(path.join(dir, "PROGRESS.md"));
  const created: string[] = [];
  const writeIfMissing = async (file: string, content: string) => {
    const full = path.join(dir, file);
    if (await exists(full)) return;
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
    created.push(file);
  };
  if (!existing) {
    await writeIfMissing("PROGRESS.md", PROGRESS_TEMPLATE);
    await writeIfMissing("DESIGN.md", DESIGN_TEMPLATE);
    await writeIfMissing("gitswarm.config.yaml", CONFIG_TEMPLATE);
    await writeIfMissing("oracle/README.md", ORACLE_README);
    await writeIfMissing(CI_WORKFLOW_PATH, ciWorkflowYaml());
    // The workflow runs the repo's own gitswarm when there is one: pin it, the lockfile fixes it.
    if (await pinGitswarm(path.join(dir, "package.json")))
      created.push("package.json");
    if (await appendIgnores(path.join(dir, ".gitignore")))
      created.push(".gitignore");
  }
  const driver = await installMergeDriver(dir);
  if (driver.attributesChanged) created.push(".gitattributes");
  if (created.length === 0) return { created, existing };
  await git.run(["add", "--", ...created]);
  const message = renderCommitMessage({
    action: "init",
    subject: "init: gitswarm swarm repo",
    agent: "gitswarm",
  });
  await git.run(
    [
      "-c",
      "user.useConfigOnly=false",
      "commit",
      "--quiet",
      "--no-verify",
      "-F",
      "-",
      "--",
      ...created,
    ],
    {
      input: message,
      env: await fallbackIdentity(git),
    },
  );
  return {
    created,
    existing,
    commit: (await git.run(["rev-parse", "HEAD"])).trim(),
  };
}

async function appendIgnores(file: string): Promise<boolean> {
  const current = await readFile(file, "utf8").catch(() => "");
  const lines = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = IGNORED.filter((line) => !lines.has(line));
  if (missing.length === 0) return false;
  const separator = current === "" || current.endsWith("\n") ? "" : "\n";
  await writeFile(file, `${current}${separator}${missing.join("\n")}\n`);
  return true;
}

/** Commits as the user when git knows who they are, else as "gitswarm" rather than failing. */
async function fallbackIdentity(git: Git): Promise<Record<string, string>> {
  const name = await git.tryRun(["config", "user.name"]);
  const email = await git.tryRun(["config", "user.email"]);
  if (name.ok && email.ok) return {};
  return {
    GIT_AUTHOR_NAME: "gitswarm",
    GIT_AUTHOR_EMAIL: "gitswarm@gitswarm.invalid",
    GIT_COMMITTER_NAME: "gitswarm",
    GIT_COMMITTER_EMAIL: "gitswarm@gitswarm.invalid",
  };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Adds gitswarm at exactly this version to an existing package.json's devDependencies, unless it
 * already lists gitswarm or is not a JSON object; true when it wrote the file.
 */
export async function pinGitswarm(file: string): Promise<boolean> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return false;
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch {
    return false;
  }
  if (pkg === null || typeof pkg !== "object" || Array.isArray(pkg))
    return false;
  const manifest = pkg as Record<string, Record<string, string> | undefined>;
  if (
    manifest.dependencies?.gitswarm !== undefined ||
    manifest.devDependencies?.gitswarm !== undefined
  )
    return false;
  manifest.devDependencies = {
    ...(manifest.devDependencies ?? {}),
    gitswarm: GITSWARM_VERSION,
  };
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? "  ";
  await writeFile(file, `${JSON.stringify(manifest, null, indent)}\n`);
  return true;
}
