/**
 * The coalescer's own clone of the hub: never the user's checkout. A real run uses
 * `.gitswarm/workspaces/<name>` (kept between runs, reset to the hub's main at the start, since a
 * killed run may have left edits there); a dry run scans a throw-away clone in the temp folder.
 */
import { access, appendFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import lockfile from "proper-lockfile";
import { cloneWorkspace } from "../../coordination/git/hub.js";
import { installMergeDriver } from "../../coordination/git/guard/merge-driver-setup.js";
import {
  agentIdentity,
  fetchMain,
  openWorkspace,
  trackingRef,
  type Workspace,
} from "../../coordination/git/workspace.js";

/** The branch the coalescer works on in its clone (never pushed). */
export const COALESCE_BRANCH = "gitswarm-coalesce";

/** The hub's URL as the clone at `home` reaches it (relative paths resolved against it). */
export async function hubUrlOf(home: Workspace): Promise<string> {
  const url = (await home.git.run(["remote", "get-url", home.remote])).trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(url) ||
    url.startsWith("/") ||
    /^[^/]+@[^:]+:/.test(url)
    ? url
    : path.resolve(home.dir, url);
}

/** Opens (cloning when missing) the coalescer's clone and resets it to the hub's fresh main. */
export async function prepareCoalesceWorkspace(
  home: Workspace,
  dir: string,
  name: string,
  signal?: AbortSignal,
): Promise<Workspace> {
  const identity = agentIdentity(name);
  const options = { remote: home.remote, branch: home.branch, identity };
  const present = await access(path.join(dir, ".git")).then(
    () => true,
    () => false,
  );
  const url = await hubUrlOf(home);
  const ws = present
    ? openWorkspace(dir, options)
    : await cloneWorkspace(url, dir, options);
  // Made by another process whose clone names the hub otherwise (the runner's clone says `origin`,
  // a user's checkout may say `gitswarm`): this clone reaches the hub under `home`'s name too.
  if (present) await nameHub(ws, url);
  await installMergeDriver(dir, { writeAttributes: false });
  await ws.git.tryRun(["rebase", "--abort"]);
  await fetchMain(ws, signal);
  await ws.git.run([
    "checkout",
    "--quiet",
    "--force",
    "-B",
    COALESCE_BRANCH,
    trackingRef(ws),
  ]);
  await ws.git.run(["clean", "--quiet", "-fd"]);
  return ws;
}

/** Points the clone's remote `ws.remote` at `url`, adding it when missing. */
async function nameHub(ws: Workspace, url: string): Promise<void> {
  const current = await ws.git.tryRun(["remote", "get-url", ws.remote]);
  if (!current.ok) await ws.git.run(["remote", "add", ws.remote, url]);
  else if (current.stdout.trim() !== url)
    await ws.git.run(["remote", "set-url", ws.remote, url]);
}

/** Keeps `.gitswarm/` (the coalescer's clone) out of the user's status via `.git/info/exclude`. */
export async function ignoreGitswarmDir(home: Workspace): Promise<void> {
  if ((await home.git.tryRun(["check-ignore", "--quiet", ".gitswarm/x"])).ok)
    return;
  const exclude = path.resolve(
    home.dir,
    (await home.git.run(["rev-parse", "--git-path", "info/exclude"])).trim(),
  );
  await mkdir(path.dirname(exclude), { recursive: true });
  await appendFile(exclude, "\n.gitswarm/\n");
}

/**
 * Takes this repo's coalescer lock (`.gitswarm/coalesce.lock`; stale 10 s after a kill) and
 * returns its release, or undefined when another coalescer process holds it.
 */
export async function lockLocalCoalescer(
  repoDir: string,
): Promise<(() => Promise<void>) | undefined> {
  const dir = path.join(repoDir, ".gitswarm");
  await mkdir(dir, { recursive: true });
  try {
    // proper-lockfile keys its locks by the locked path: `.gitswarm` itself is the run's lock.
    return await lockfile.lock(path.join(dir, "coalesce"), {
      lockfilePath: path.join(dir, "coalesce.lock"),
      stale: 10_000,
      update: 2_000,
      retries: 0,
      realpath: false,
    });
  } catch {
    return undefined;
  }
}

/** Runs `scan` on a throw-away clone of the hub's main and removes it afterwards. */
export async function withScanClone<T>(
  home: Workspace,
  scan: (ws: Workspace) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const parent = await mkdtemp(path.join(os.tmpdir(), "gitswarm-coalesce-"));
  try {
    const ws = await prepareCoalesceWorkspace(
      home,
      path.join(parent, "scan"),
      "coalescer",
      signal,
    );
    return await scan(ws);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}
