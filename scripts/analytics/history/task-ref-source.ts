/**
 * Where a history's task refs are. The hub has them at `refs/swarm/tasks/<id>`; a gitswarm clone
 * mirrors them at `refs/gitswarm/<remote>/tasks/<id>`; a user's repo after a run has main back but
 * the task refs stay on the embedded hub beside it (`.gitswarm/hub.git`). Read-only git edge.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { Git } from "../../../coordination/git/git.js";
import type { CommitRecord } from "../types.js";

/** A repository and the ref prefix under which it keeps task refs. */
export interface TaskRefSource {
  git: Git;
  prefix: string;
}

/** Where task refs live on a hub. */
export const HUB_PREFIX = "refs/swarm/tasks/";
/** Every clone mirror of task refs (`refs/gitswarm/<remote>/tasks/`), as an exclude glob. */
export const MIRRORS_GLOB = "refs/gitswarm/*";

/**
 * Finds the task refs for an analysis of `ref` in `git`: the given prefix only, when there is one;
 * else the hub's refs, the clone's mirror of the remote `ref` tracks (or its only mirror), then
 * the embedded hub beside the repository. Undefined when there are none (foreign histories).
 */
export async function findTaskRefSource(
  git: Git,
  ref: string | undefined,
  prefix?: string,
): Promise<TaskRefSource | undefined> {
  if (prefix !== undefined)
    return (await firstRef(git, prefix)) ? { git, prefix } : undefined;
  if (await firstRef(git, HUB_PREFIX)) return { git, prefix: HUB_PREFIX };
  const mirror = await findMirror(git, ref);
  if (mirror !== undefined) return { git, prefix: mirror };
  const hub = new Git(path.join(git.dir, ".gitswarm", "hub.git"));
  const isDir = await stat(hub.dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isDir && (await firstRef(hub, HUB_PREFIX))
    ? { git: hub, prefix: HUB_PREFIX }
    : undefined;
}

async function findMirror(
  git: Git,
  ref: string | undefined,
): Promise<string | undefined> {
  const listed = await git.tryRun([
    "for-each-ref",
    "--format=%(refname)",
    "refs/gitswarm/",
  ]);
  const remotes = [
    ...new Set(
      listed.stdout
        .split("\n")
        .map((r) => /^refs\/gitswarm\/(.+)\/tasks\/[^/]+$/.exec(r)?.[1])
        .filter((r): r is string => r !== undefined),
    ),
  ];
  const tracked = /^(?:refs\/remotes\/)?([^/]+)\//.exec(ref ?? "")?.[1];
  const remote =
    tracked !== undefined && remotes.includes(tracked)
      ? tracked
      : remotes.length === 1
        ? remotes[0]
        : undefined;
  return remote === undefined ? undefined : `refs/gitswarm/${remote}/tasks/`;
}

async function firstRef(git: Git, prefix: string): Promise<boolean> {
  const found = await git.tryRun([
    "for-each-ref",
    "--count=1",
    "--format=%(refname)",
    prefix,
  ]);
  return found.ok && found.stdout.trim() !== "";
}

/** Two newest-first commit lists as one, by committer time (ties: the first list first). */
export function mergeNewestFirst(
  a: readonly CommitRecord[],
  b: readonly CommitRecord[],
): CommitRecord[] {
  const merged: CommitRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.time >= y.time)) {
      merged.push(x as CommitRecord);
      i += 1;
    } else {
      merged.push(y);
      j += 1;
    }
  }
  return merged;
}
