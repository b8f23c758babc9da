/**
 * Reads work branches on the hub: which exist (by name or pattern), and each tip's commit and
 * committer time, with one `ls-remote`, one `fetch` and one `for-each-ref` however many there are.
 * Heartbeat times (lease checks) and resume points both come from here.
 */
import { NETWORK_TIMEOUT_MS } from "./git.js";
import type { Workspace } from "./workspace.js";

/** A branch on the hub and its tip. */
export interface HubBranch {
  branch: string;
  commit: string;
  /** Committer time of the tip: the last heartbeat or commit pushed there. */
  at: Date;
}

const LOCAL_PREFIX = "refs/gitswarm/hub-branches/";

/**
 * Fetches the hub branches matching `patterns` (`swarm/a/x`, or globs like `swarm/*\/x`) into
 * private refs and returns their tips, newest first. Branches that do not exist are absent.
 */
export async function readHubBranches(
  ws: Workspace,
  patterns: readonly string[],
  signal?: AbortSignal,
): Promise<HubBranch[]> {
  if (patterns.length === 0) return [];
  const network = { timeoutMs: NETWORK_TIMEOUT_MS, signal };
  const local = (b: string) => `${LOCAL_PREFIX}${b}`;
  let branches: string[] = [];
  for (let round = 1; ; round += 1) {
    const ls = await ws.git.run(
      [
        "ls-remote",
        "--heads",
        ws.remote,
        ...patterns.map((p) => `refs/heads/${p}`),
      ],
      network,
    );
    branches = ls
      .split("\n")
      .map((line) => line.split("\t")[1]?.replace(/^refs\/heads\//, ""))
      .filter((b): b is string => b !== undefined && b !== "");
    if (branches.length === 0) return [];
    const fetch = [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      ws.remote,
      ...branches.map((b) => `+refs/heads/${b}:${local(b)}`),
    ];
    try {
      await ws.git.run(fetch, network);
      break;
    } catch (error) {
      // A branch deleted between the listing and the fetch (its work landed, the coalescer or the
      // lander ended): one missing ref fails the whole fetch, so list again. The demo printed this.
      if (round >= 3 || !isMissingRemoteRef(error)) throw error;
    }
  }
  const out = await ws.git.run([
    "for-each-ref",
    "--sort=-committerdate",
    "--format=%(refname)%09%(objectname)%09%(committerdate:unix)",
    ...branches.map(local),
  ]);
  return out.split("\n").flatMap((line) => {
    const [ref, commit, seconds] = line.split("\t");
    if (ref === undefined || commit === undefined || seconds === undefined)
      return [];
    return [
      {
        branch: ref.slice(LOCAL_PREFIX.length),
        commit,
        at: new Date(Number(seconds) * 1000),
      },
    ];
  });
}

/** Whether a fetch failed because a ref it named is no longer on the hub. */
function isMissingRemoteRef(error: unknown): boolean {
  return (
    error instanceof Error && /couldn't find remote ref/.test(error.message)
  );
}
