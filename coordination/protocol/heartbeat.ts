/**
 * Heartbeats: the holder pushes a snapshot of its working tree (committed or not) to its work
 * branch on the hub. That proves it is alive and means a crash loses nothing, without adding a
 * commit to main. The local branch is not moved: each snapshot commit has HEAD and the previous
 * heartbeat as parents, so every push is a fast-forward (hubs may forbid forced pushes, ours does)
 * and every commit the holder ever made stays reachable on the hub.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { NETWORK_TIMEOUT_MS } from "../git/git.js";
import { readHubBranches } from "../git/hub-branches.js";
import { runnerIdOf } from "../git/runner-id.js";
import { notHeldBy } from "./lock-owner.js";
import { checkFence } from "./fencing.js";
import { readTaskView } from "../state/hub-view.js";
import type { Lock } from "../state/lock-file.js";
import { pushRef } from "../git/push.js";
import { renderCommitMessage } from "../git/trailers.js";
import {
  fetchMain,
  trackingRef,
  withWorkspaceLock,
  type Workspace,
} from "../git/workspace.js";

export type HeartbeatResult =
  | { ok: true; at: string; commit: string; branch: string }
  /** `fenced`: the claim is over (broken, released, re-claimed); beating again cannot help. */
  | { ok: false; message: string; holder?: Lock; fenced?: true };

/** Sends one heartbeat for a held task; refuses (a value) if the lock is no longer ours. */
export function sendHeartbeat(
  ws: Workspace,
  claim: {
    taskId: string;
    agent: string;
    claimId?: string;
    signal?: AbortSignal;
    /** A job's last metrics (one JSON line): the beat carries them as a `Swarm-Metrics` trailer. */
    metrics?: string;
    /** A job's run id, GPUs and time limit (one JSON line): carried as a `Swarm-Job` trailer. */
    job?: string;
    /**
     * Prove liveness only: the beat carries main's tree, not the working tree (the lander's clone
     * holds checked-out batches and oracle output, which are no one's work and race its checkouts).
     */
    leaseOnly?: boolean;
  },
): Promise<HeartbeatResult> {
  return withWorkspaceLock(ws, async () => {
    await fetchMain(ws, claim.signal);
    const view = await readTaskView(ws, claim.taskId);
    const entry = view.locks[0];
    if (claim.claimId === undefined && entry?.ok) {
      const runner = ws.runner ?? (await runnerIdOf(ws.git));
      const refused = notHeldBy(entry.lock, { agent: claim.agent, runner });
      if (refused !== undefined)
        return {
          ok: false,
          message: `task '${claim.taskId}' is ${refused}`,
          holder: entry.lock,
          fenced: true,
        };
    }
    const claimId =
      claim.claimId ?? (entry?.ok ? entry.lock.claimId : "(none)");
    const fence = checkFence(entry, claim.taskId, claimId);
    if (!fence.ok)
      return {
        ok: false,
        message: fence.message,
        holder: fence.holder,
        fenced: true,
      };
    const branch = fence.lock.branch;
    const lastBeat = `refs/gitswarm/last-heartbeat/${branch}`;
    for (let round = 0; round < 2; round += 1) {
      const at = new Date().toISOString();
      const previous = await ws.git.tryRun([
        "rev-parse",
        "--verify",
        "--quiet",
        `${lastBeat}^{commit}`,
      ]);
      const commit = await snapshotCommit(
        ws,
        claim,
        fence.lock.claimId,
        at,
        previous.ok ? previous.stdout.trim() : undefined,
      );
      const pushed = await pushRef(ws, commit, `refs/heads/${branch}`, {
        signal: claim.signal,
      });
      if (pushed.ok) {
        await ws.git.run(["update-ref", lastBeat, commit]);
        return { ok: true, at, commit, branch };
      }
      if (round > 0)
        return {
          ok: false,
          message: `the hub refused the heartbeat: ${pushed.detail}`,
        };
      // The branch moved on the hub without us (an earlier run of this agent): build on it.
      await ws.git.run(
        [
          "fetch",
          "--quiet",
          "--no-tags",
          "--no-write-fetch-head",
          ws.remote,
          `+refs/heads/${branch}:${lastBeat}`,
        ],
        {
          timeoutMs: NETWORK_TIMEOUT_MS,
          signal: claim.signal,
        },
      );
    }
    return { ok: false, message: "unreachable" };
  });
}

/**
 * Commits the whole working tree (respecting .gitignore) on top of HEAD without touching refs; a
 * lease-only beat commits main's tree on top of main instead.
 */
async function snapshotCommit(
  ws: Workspace,
  claim: {
    taskId: string;
    agent: string;
    metrics?: string;
    job?: string;
    leaseOnly?: boolean;
  },
  claimId: string,
  at: string,
  previous: string | undefined,
): Promise<string> {
  const { taskId, agent } = claim;
  const head = claim.leaseOnly
    ? { ok: false as const, stdout: "" }
    : await ws.git.tryRun([
        "rev-parse",
        "--verify",
        "--quiet",
        "HEAD^{commit}",
      ]);
  const parent = head.ok
    ? head.stdout.trim()
    : (await ws.git.run(["rev-parse", `${trackingRef(ws)}^{commit}`])).trim();
  const gitDir = path.resolve(
    ws.dir,
    (await ws.git.run(["rev-parse", "--git-dir"])).trim(),
  );
  const env = {
    GIT_INDEX_FILE: path.join(
      gitDir,
      `gitswarm-heartbeat-${randomBytes(6).toString("hex")}`,
    ),
  };
  try {
    await ws.git.run(["read-tree", parent], { env });
    if (!claim.leaseOnly)
      await ws.git.run(["add", "--all", "--", "."], {
        env,
        timeoutMs: NETWORK_TIMEOUT_MS,
      });
    const tree = (await ws.git.run(["write-tree"], { env })).trim();
    const message = renderCommitMessage({
      action: "heartbeat",
      subject: `heartbeat: ${taskId} (${agent})`,
      task: taskId,
      agent,
      claimId,
      extra: {
        "Swarm-Heartbeat": at,
        ...(claim.metrics === undefined
          ? {}
          : { "Swarm-Metrics": claim.metrics.replace(/\s*\n\s*/g, " ") }),
        ...(claim.job === undefined ? {} : { "Swarm-Job": claim.job }),
      },
    });
    const parents = [
      "-p",
      parent,
      ...(previous !== undefined && previous !== parent
        ? ["-p", previous]
        : []),
    ];
    return (
      await ws.git.run(["commit-tree", tree, ...parents, "-F", "-"], {
        input: message,
      })
    ).trim();
  } finally {
    await rm(env.GIT_INDEX_FILE, { force: true });
  }
}

/**
 * Reads when each work branch was last pushed (its tip's committer time), fetching them all in one
 * go. Branches that do not exist on the hub are absent from the result.
 */
export async function readLastHeartbeats(
  ws: Workspace,
  branches: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Date>> {
  // Branch names are literal here; a name with glob characters must not match others.
  const literal = branches.filter((b) => !/[*?[]/.test(b));
  const tips = await readHubBranches(ws, literal, signal);
  return new Map(tips.map((tip) => [tip.branch, tip.at]));
}

/**
 * How long after a beat that started at `startedAt` and ended at `endedAt` the next one starts:
 * beats keep their rate (every `everyMs` from start to start), and one that took longer than that is
 * followed at once. Timed from the end instead, a slow fetch and push on a loaded machine was added
 * to every gap, and a short lease expired under its own live claim. Pure.
 */
export function nextBeatDelay(
  everyMs: number,
  startedAt: number,
  endedAt: number,
): number {
  return Math.max(0, everyMs - (endedAt - startedAt));
}
