/**
 * The hub: the shared git remote all agents push to. By default a bare repository gitswarm creates
 * itself (nothing to install); any git remote works. Workspaces are clones of it.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Git, NETWORK_TIMEOUT_MS, type GitIdentity } from "./git.js";
import { openWorkspace, type Workspace } from "./workspace.js";

/** Creates a bare hub that only accepts fast-forwards on main (the CAS needs that) and keeps a reflog. */
export async function createHub(hubDir: string, branch = "main"): Promise<Git> {
  await mkdir(hubDir, { recursive: true });
  const hub = new Git(hubDir);
  await hub.run(["init", "--quiet", "--bare", `--initial-branch=${branch}`]);
  await hub.run(["config", "receive.denyNonFastForwards", "true"]);
  // A reflog on the hub records when each ref moved: evidence for humans after a lock break.
  await hub.run(["config", "core.logAllRefUpdates", "always"]);
  // Agents' clones fetch often; keep the hub's object store from degrading into loose objects.
  await hub.run(["config", "gc.auto", "0"]);
  return hub;
}

export interface CloneOptions {
  remote?: string;
  branch?: string;
  identity?: GitIdentity;
}

/** Clones the hub into `dir` as a workspace with the identity set for commits made by hand too. */
export async function cloneWorkspace(
  hubUrl: string,
  dir: string,
  options: CloneOptions = {},
): Promise<Workspace> {
  const remote = options.remote ?? "origin";
  await mkdir(path.dirname(dir), { recursive: true });
  await new Git(path.dirname(dir)).run(
    ["clone", "--quiet", "--origin", remote, hubUrl, dir],
    { timeoutMs: NETWORK_TIMEOUT_MS },
  );
  const ws = openWorkspace(dir, {
    remote,
    branch: options.branch,
    identity: options.identity,
  });
  if (options.identity) {
    await ws.git.run(["config", "user.name", options.identity.name]);
    await ws.git.run(["config", "user.email", options.identity.email]);
  }
  return ws;
}
