/**
 * A workspace is a clone of the hub that one agent (or human) works in. Every protocol step reads
 * the hub's main branch and task refs through the clone's mirrors of them and writes by pushing.
 */
import path from "node:path";
import lockfile from "proper-lockfile";
import { SwarmError } from "../base/errors.js";
import { foldCall } from "../base/fold.js";
import {
  Git,
  NETWORK_TIMEOUT_MS,
  gitFailure,
  type GitIdentity,
} from "./git.js";
import { retryOnStaleGitLock } from "./lock-recovery.js";
import { taskRefspec } from "./task-refs.js";

export interface Workspace {
  dir: string;
  /** Runs git in the clone as the acting agent. */
  git: Git;
  /** The clone's name for the hub remote. */
  remote: string;
  /** The hub's shared branch (done-commits, PROGRESS.md); claims live on task refs. */
  branch: string;
  /** The runner this clone works for (its locks record it); unset: read from the clone. */
  runner?: string;
}

export interface WorkspaceOptions {
  remote?: string;
  branch?: string;
  identity?: GitIdentity;
  /** The runner id this clone acts for (see coordination/git/runner-id.ts). */
  runner?: string;
}

/** Opens a clone as a workspace (no I/O). Defaults: remote `origin`, branch `main`. */
export function openWorkspace(
  dir: string,
  options: WorkspaceOptions = {},
): Workspace {
  const resolved = path.resolve(dir);
  return {
    dir: resolved,
    git: new Git(resolved, options.identity),
    remote: options.remote ?? "origin",
    branch: options.branch ?? "main",
    ...(options.runner === undefined ? {} : { runner: options.runner }),
  };
}

/** The identity gitswarm commits under for an agent or human name. */
export function agentIdentity(name: string): GitIdentity {
  return {
    name,
    email: `${name.replace(/[^A-Za-z0-9._-]/g, "-")}@gitswarm.invalid`,
  };
}

/** The remote-tracking ref that mirrors the hub's main branch in this clone. */
export function trackingRef(ws: Workspace): string {
  return `refs/remotes/${ws.remote}/${ws.branch}`;
}

/**
 * Fetches the hub's main branch and every task ref (`refs/swarm/tasks/*`) in ONE fetch, so main
 * and the task states are read at (nearly) one moment; work branches are not fetched.
 * Concurrent callers in one process share a fetch (folded); two processes racing in one clone (a
 * CLI beside the runner) make the loser fail with "cannot lock ref … expected …"; the winner
 * already brought the ref up to date, so fetch again.
 */
export async function fetchMain(
  ws: Workspace,
  signal?: AbortSignal,
): Promise<void> {
  const args = [
    "fetch",
    "--quiet",
    "--no-tags",
    "--no-write-fetch-head",
    "--prune",
    ws.remote,
    `+refs/heads/${ws.branch}:${trackingRef(ws)}`,
    taskRefspec(ws),
  ];
  // Callers in this process asking at once (the sync, the sweeper, the lander, a heartbeat) share
  // one fetch that starts after their question (base/fold.ts).
  return foldCall(
    `${ws.dir}\0${args.join("\0")}`,
    async (folded) => {
      for (let attempt = 0; ; attempt += 1) {
        const result = await retryOnStaleGitLock(ws.dir, () =>
          ws.git.tryRun(args, {
            timeoutMs: NETWORK_TIMEOUT_MS,
            signal: folded,
          }),
        );
        if (result.ok) return;
        if (attempt < 3 && /cannot lock ref .*but expected/.test(result.stderr))
          continue;
        throw hubUnreachable(ws, gitFailure(ws.dir, args, result));
      }
    },
    signal,
  );
}

/**
 * Serialises gitswarm's own protocol steps within one clone (two commands in one checkout must not
 * interleave their fetch and push). Stale after 10 s without a heartbeat: the holder died.
 */
export async function withWorkspaceLock<T>(
  ws: Workspace,
  work: () => Promise<T>,
): Promise<T> {
  const gitDir = path.join(ws.dir, ".git");
  const release = await lockfile.lock(gitDir, {
    lockfilePath: path.join(gitDir, "gitswarm.lock"),
    stale: 10_000,
    update: 2_000,
    retries: { retries: 200, minTimeout: 20, maxTimeout: 200, factor: 1.3 },
    realpath: false,
    // Under extreme load (a machine at load 30) the 2 s refresh can starve and the lock be taken as
    // stale. The default throws from a timer and kills the process; the hub's CAS keeps the protocol
    // correct without this lock (it only spares a clone interleaved fetches and pushes), so carry on.
    onCompromised: () => undefined,
  });
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

function hubUnreachable(ws: Workspace, cause: SwarmError): SwarmError {
  return new SwarmError(
    "hub-unreachable",
    `cannot reach the hub '${ws.remote}' from ${ws.dir}: ${cause.message}\n` +
      `Check 'git remote -v' there and that the hub exists.`,
    { cause },
  );
}
