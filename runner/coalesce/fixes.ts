/**
 * The coalescer's deterministic fixes, no model involved: archive done tasks (moved with their
 * notes to PROGRESS-archive.md, never deleted) as one `Swarm-Action: archive` commit on main, and
 * prune the work branches of done tasks whose last push is past the retention. Each fix is one
 * compare-and-swap on the hub: a kill between them leaves nothing half-done.
 */
import { entryText, readObjects } from "../../coordination/git/cat-file.js";
import { buildCommit } from "../../coordination/git/commit-builder.js";
import { PROGRESS_FILE } from "../../coordination/state/hub-view.js";
import { updateMain } from "../../coordination/protocol/main-update.js";
import {
  ARCHIVE_FILE,
  archiveDoneTasks,
} from "../../coordination/progress/archive.js";
import { renderCommitMessage } from "../../coordination/git/trailers.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { PrunableBranch } from "./detect/drift-coordination.js";

/** Archives every archivable done task on the hub's main; returns the ids moved and the commit. */
export async function archiveOnHub(
  ws: Workspace,
  agent: string,
  now: Date,
  signal?: AbortSignal,
): Promise<{ ids: string[]; commit?: string }> {
  return updateMain<{ ids: string[]; commit?: string }>(
    ws,
    undefined,
    async (view) => {
      if (view.progress === undefined) return { stop: { ids: [] } };
      const [archive] = await readObjects(ws.git, [
        `${view.tip}:${ARCHIVE_FILE}`,
      ]);
      const result = archiveDoneTasks(
        view.progress.source,
        entryText(archive) ?? "",
        {
          heading: `Archived ${now.toISOString().slice(0, 10)} by the coalescer`,
        },
      );
      if (result.ids.length === 0) return { stop: { ids: [] } };
      const commit = await buildCommit(ws.git, {
        base: view.tip,
        parents: [view.tip],
        changes: [
          { path: PROGRESS_FILE, content: result.progress },
          { path: ARCHIVE_FILE, content: result.archived },
        ],
        message: renderCommitMessage({
          action: "archive",
          subject: `archive: ${result.ids.length} done task${result.ids.length === 1 ? "" : "s"}`,
          body: `Moved to ${ARCHIVE_FILE} with their notes: ${result.ids.join(", ")}`,
          agent,
        }),
      });
      return {
        push: commit,
        onLanded: (landed) => ({ ids: result.ids, commit: landed }),
      };
    },
    signal,
  );
}

/**
 * Deletes work branches from the hub, each only if it still points where it was read (a branch
 * pushed to meanwhile is kept). Returns the branches deleted.
 */
export async function pruneWorkBranches(
  ws: Workspace,
  branches: readonly PrunableBranch[],
  signal?: AbortSignal,
): Promise<string[]> {
  const pruned: string[] = [];
  for (const b of branches) {
    const ref = `refs/heads/${b.branch}`;
    const result = await ws.git.tryRun(
      [
        "push",
        "--quiet",
        `--force-with-lease=${ref}:${b.commit}`,
        ws.remote,
        `:${ref}`,
      ],
      { signal },
    );
    if (result.ok) pruned.push(b.branch);
  }
  return pruned;
}
