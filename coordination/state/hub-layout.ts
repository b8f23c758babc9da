/**
 * The hub's layout: gitswarm needs atomic pushes (done = main + task ref in one push), and hubs
 * made by the previous layout keep their locks in `locks/` on main. Set-up refuses both with what
 * to do; `migrateLegacyLocks` moves every live lock to its task ref in one atomic push, so no claim
 * is lost even while old agents still write to main.
 */
import { SwarmError, UserError } from "../base/errors.js";
import { backoffDelayMs, sleep } from "../git/backoff.js";
import { entryText, readObjects } from "../git/cat-file.js";
import { buildCommit, buildStateCommit } from "../git/commit-builder.js";
import { NETWORK_TIMEOUT_MS } from "../git/git.js";
import { LOCKS_DIR } from "./lock-file.js";
import { pushAtomic, type RefUpdate } from "../git/push.js";
import { hubTaskRef, trackingTaskRef } from "../git/task-refs.js";
import { renderCommitMessage } from "../git/trailers.js";
import {
  fetchMain,
  trackingRef,
  withWorkspaceLock,
  type Workspace,
} from "../git/workspace.js";

/** The lock files on main (`locks/<id>.md`) as the clone last fetched it. */
export async function readLegacyLocks(ws: Workspace): Promise<string[]> {
  const listing = await ws.git.tryRun([
    "ls-tree",
    "-z",
    "--name-only",
    `${trackingRef(ws)}:${LOCKS_DIR}`,
  ]);
  if (!listing.ok) return [];
  return listing.stdout
    .split("\0")
    .filter((name) => name.endsWith(".md"))
    .map((name) => `${LOCKS_DIR}/${name}`);
}

/**
 * Checks the hub before a run: it must accept atomic pushes, and its main must not hold locks of
 * the previous layout. Throws `UserError` saying what to do. Fetches first.
 */
export async function checkHubLayout(
  ws: Workspace,
  signal?: AbortSignal,
): Promise<void> {
  await fetchMain(ws, signal);
  const legacy = await readLegacyLocks(ws);
  if (legacy.length > 0) {
    throw new UserError(
      "legacy-hub",
      `the hub's ${ws.branch} holds ${legacy.length} lock file(s) of gitswarm's previous layout (${legacy.slice(0, 3).join(", ")}${legacy.length > 3 ? ", …" : ""}); ` +
        `locks now live on task refs (refs/swarm/tasks/<id>). Move them, keeping every claim: gitswarm locks migrate --as NAME --repo ${ws.dir}`,
    );
  }
  const tip = `${trackingRef(ws)}^{commit}`;
  const probe = await ws.git.tryRun(
    [
      "push",
      "--atomic",
      "--dry-run",
      "--porcelain",
      ws.remote,
      `${tip}:refs/heads/${ws.branch}`,
    ],
    { timeoutMs: NETWORK_TIMEOUT_MS, signal },
  );
  if (/does not support --atomic/i.test(probe.stderr)) {
    throw new UserError(
      "no-atomic-push",
      `the hub '${ws.remote}' does not support atomic pushes (git push --atomic), which gitswarm needs to land a task's work and end its claim in one step. ` +
        `Serve the hub with git 2.4 or newer and leave receive.advertiseAtomic at its default (true).`,
    );
  }
}

export interface MigrationResult {
  /** Task ids whose locks moved to their task refs. */
  migrated: string[];
  /** The main commit that removed `locks/`, when there was anything to move. */
  commit?: string;
}

/**
 * Moves every lock file on main to its task ref (content unchanged: same holder, claim id and
 * lease) and removes `locks/` from main, all in ONE atomic push; retried from a fresh fetch when
 * main or a task ref moved meanwhile.
 */
export function migrateLegacyLocks(
  ws: Workspace,
  actor: string,
  signal?: AbortSignal,
): Promise<MigrationResult> {
  return withWorkspaceLock(ws, async () => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      if (attempt > 0) await sleep(backoffDelayMs(attempt), signal);
      await fetchMain(ws, signal);
      const files = await readLegacyLocks(ws);
      if (files.length === 0) return { migrated: [] };
      const ids = files.map((f) => f.slice(LOCKS_DIR.length + 1, -3));
      const main = trackingRef(ws);
      const objects = await readObjects(ws.git, [
        `${main}^{commit}`,
        ...files.map((f) => `${main}:${f}`),
        ...ids.map((id) => `${trackingTaskRef(ws, id)}^{commit}`),
      ]);
      const tip = objects[0];
      if (tip === undefined || tip.missing)
        throw new SwarmError("no-hub-branch", `the hub has no '${ws.branch}'`);
      const updates: RefUpdate[] = [];
      for (const [i, id] of ids.entries()) {
        const text = entryText(objects[1 + i]) ?? "";
        const existing = objects[1 + files.length + i];
        const parent =
          existing === undefined || existing.missing ? undefined : existing.oid;
        const commit = await buildStateCommit(ws.git, {
          parent,
          path: `${LOCKS_DIR}/${id}.md`,
          content: text,
          message: renderCommitMessage({
            action: "claim",
            subject: `claim: ${id} (migrated from ${ws.branch})`,
            task: id,
            agent: actor,
            extra: { "Swarm-Migrated-From": tip.oid },
          }),
        });
        updates.push({
          source: commit,
          target: hubTaskRef(id),
          expect: parent ?? "",
        });
      }
      const commit = await buildCommit(ws.git, {
        base: tip.oid,
        parents: [tip.oid],
        changes: files.map((path) => ({ path, remove: true as const })),
        message: renderCommitMessage({
          action: "progress",
          subject: `migrate: ${ids.length} lock(s) from ${LOCKS_DIR}/ to task refs`,
          agent: actor,
          extra: { "Swarm-Migrated": ids.join(" ") },
        }),
      });
      const pushed = await pushAtomic(
        ws,
        [
          {
            source: commit,
            target: `refs/heads/${ws.branch}`,
            expect: tip.oid,
          },
          ...updates,
        ],
        { signal },
      );
      if (pushed.ok) return { migrated: ids, commit };
    }
    throw new SwarmError(
      "hub-contended",
      "the hub kept moving while migrating its locks; try again",
    );
  });
}
