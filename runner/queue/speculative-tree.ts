/**
 * Where the lander gates a speculative batch: a second checkout of its clone, so two oracle runs can
 * each have a tree of their own while sharing the chain's objects.
 */
import { realpath, rm } from "node:fs/promises";
import path from "node:path";
import { Git } from "../../coordination/git/git.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { GateTree } from "./batch-gate.js";

/**
 * The lander's second checkout: a linked worktree of its clone beside it (`lander-next`), made
 * again when missing or when it is not this clone's (the clone was made anew).
 */
export async function speculativeTree(ws: Workspace): Promise<GateTree> {
  const dir = `${ws.dir}-next`;
  const tree = { dir, git: new Git(dir, ws.git.identity) };
  // Not there: git cannot start in it. Not a worktree: git finds the user's repository above it.
  const common = await tree.git
    .tryRun(["rev-parse", "--git-common-dir"])
    .catch(() => undefined);
  if (
    common?.ok === true &&
    (await sameDir(
      path.resolve(dir, common.stdout.trim()),
      path.join(ws.dir, ".git"),
    ))
  )
    return tree;
  await rm(dir, { recursive: true, force: true });
  await ws.git.run(["worktree", "prune"]);
  await ws.git.run(["worktree", "add", "--quiet", "--detach", dir, "HEAD"]);
  return tree;
}

async function sameDir(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([
    realpath(a).catch(() => undefined),
    realpath(b).catch(() => undefined),
  ]);
  return x !== undefined && x === y;
}
