/**
 * Setting up a run: check the user's repo, find or create the hub and publish the user's branch to
 * it, and give every agent its own clone (never the user's working tree) with the merge driver.
 * The user's repo gets a `gitswarm` remote so the results can be pulled at any time.
 */
import { access, appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Git } from "../../coordination/git/git.js";
import { cloneWorkspace, createHub } from "../../coordination/git/hub.js";
import { checkHubLayout } from "../../coordination/state/hub-layout.js";
import {
  ensureRunnerId,
  RUNNER_CONFIG_KEY,
} from "../../coordination/git/runner-id.js";
import { installMergeDriver } from "../../coordination/git/guard/merge-driver-setup.js";
import { readProgress } from "../../coordination/progress/validate.js";
import {
  agentIdentity,
  openWorkspace,
  type Workspace,
} from "../../coordination/git/workspace.js";
import type { SwarmConfig } from "../config.js";
import { UserError } from "../../coordination/base/errors.js";
import { locateHub, USER_REMOTE } from "../hub-location.js";
import { publishUserBranch } from "./checkout/user-publish.js";

export { USER_REMOTE };

export interface SwarmSite {
  repoDir: string;
  hubUrl: string;
  /** True when the hub is the embedded one gitswarm made under .gitswarm/. */
  embedded: boolean;
  /** This runner's fleet-unique id (kept in `.gitswarm/runner-id`), recorded in every lock. */
  runnerId: string;
  workspaces: Map<string, Workspace>;
}

/** Checks the user's repo and hub, publishes the user's branch, and clones a workspace per agent. */
export async function setupSwarm(
  repoDir: string,
  config: SwarmConfig,
  agentNames: readonly string[],
): Promise<SwarmSite> {
  const user = new Git(repoDir);
  await checkUserRepo(repoDir, user);
  const { url: hubUrl, embedded } = locateHub(repoDir, config);
  if (embedded && !(await exists(hubUrl)))
    await createHub(hubUrl, config.hub.branch);
  await publishUserBranch(user, hubUrl, config.hub.branch);
  await ignoreGitswarmDir(repoDir, user);
  const runnerId = await ensureRunnerId(repoDir);
  const workspaces = new Map<string, Workspace>();
  for (const name of agentNames) {
    const ws = await ensureWorkspace(repoDir, hubUrl, name, config);
    // A human's CLI in the agent's clone acts for this runner too.
    await ws.git.run(["config", RUNNER_CONFIG_KEY, runnerId]);
    workspaces.set(name, { ...ws, runner: runnerId });
  }
  // Atomic pushes (done = main + task ref) and no locks of the previous layout on main.
  const first = workspaces.values().next();
  if (!first.done) await checkHubLayout(first.value);
  return { repoDir, hubUrl, embedded, runnerId, workspaces };
}

async function checkUserRepo(repoDir: string, user: Git): Promise<void> {
  const head = await user.tryRun([
    "rev-parse",
    "--verify",
    "--quiet",
    "HEAD^{commit}",
  ]);
  if (!head.ok)
    throw new UserError(
      "not-a-repo",
      `${repoDir} is not a git repository with a commit; run 'gitswarm init' there first`,
    );
  // PROGRESS.md may differ from HEAD: it is the live copy a run keeps in step with the hub (a run
  // killed before bringing its results home leaves it so), or a human's edit; the run merges it in.
  const dirty = (
    await user.run(["status", "--porcelain", "--untracked-files=no"])
  )
    .split("\n")
    .filter((line) => line !== "" && line.slice(3) !== "PROGRESS.md");
  if (dirty.length > 0) {
    const files = dirty.slice(0, 5).map((line) => line.slice(3));
    throw new UserError(
      "dirty",
      `${repoDir} has uncommitted changes (${files.join(", ")}); commit or stash them first — the swarm starts from your last commit`,
    );
  }
  const progressFile = path.join(repoDir, "PROGRESS.md");
  const text = await readFile(progressFile, "utf8").catch(() => {
    throw new UserError(
      "no-progress",
      `${progressFile} does not exist; run 'gitswarm init' and add tasks`,
    );
  });
  readProgress(text, "PROGRESS.md");
}

async function ensureWorkspace(
  repoDir: string,
  hubUrl: string,
  name: string,
  config: SwarmConfig,
): Promise<Workspace> {
  const dir = path.join(repoDir, ".gitswarm", "workspaces", name);
  const identity = agentIdentity(name);
  const ws = (await exists(path.join(dir, ".git")))
    ? openWorkspace(dir, {
        remote: config.hub.remote,
        branch: config.hub.branch,
        identity,
      })
    : await cloneWorkspace(hubUrl, dir, {
        remote: config.hub.remote,
        branch: config.hub.branch,
        identity,
      });
  await installMergeDriver(dir, { writeAttributes: false });
  return ws;
}

/** Keeps .gitswarm/ out of the user's status without touching tracked files (.git/info/exclude). */
async function ignoreGitswarmDir(repoDir: string, user: Git): Promise<void> {
  if ((await user.tryRun(["check-ignore", "--quiet", ".gitswarm/x"])).ok)
    return;
  const exclude = path.resolve(
    repoDir,
    (await user.run(["rev-parse", "--git-path", "info/exclude"])).trim(),
  );
  await mkdir(path.dirname(exclude), { recursive: true });
  await appendFile(exclude, "\n.gitswarm/\n");
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
