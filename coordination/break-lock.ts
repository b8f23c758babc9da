/**
 * Breaking a stale lock: allowed only when the lease rules say the holder is gone (or a human
 * forces it, which is recorded). The break is one commit that removes the lock and records the
 * evidence; the dead holder's work branch stays on the hub so the next claimer can resume from it.
 */
import { readLastHeartbeats } from "./heartbeat.js";
import { assessLease, type LeaseState } from "./lease.js";
import type { Lock } from "./lock-file.js";
import { lockPath } from "./lock-file.js";
import { buildCommit, type FileChange } from "./commit-builder.js";
import { PROGRESS_FILE } from "./hub-view.js";
import { updateMain } from "./main-update.js";
import { addTaskNote } from "./progress-edit.js";
import { renderCommitMessage } from "./trailers.js";
import type { Workspace } from "./workspace.js";

export interface BreakRequest {
  taskId: string;
  /** Who breaks it (an agent or a human). */
  breaker: string;
  /** Break even if the holder looks alive; recorded as `Swarm-Forced: true`. */
  force?: boolean;
  now?: () => Date;
  signal?: AbortSignal;
}

export type BreakResult =
  | {
      outcome: "broken";
      commit: string;
      previous?: Lock;
      evidence: string;
      forced: boolean;
    }
  | {
      outcome: "refused";
      state: LeaseState | "malformed";
      evidence: string;
      holder?: Lock;
    }
  | { outcome: "no-lock"; message: string };

/** Breaks the lock on a task if the lease rules allow it (see `assessLease`). */
export function breakLock(
  ws: Workspace,
  request: BreakRequest,
): Promise<BreakResult> {
  const force = request.force === true;
  return updateMain<BreakResult>(
    ws,
    request.taskId,
    async (view) => {
      const entry = view.locks[0];
      if (entry === undefined)
        return {
          stop: {
            outcome: "no-lock",
            message: `task '${request.taskId}' has no lock`,
          },
        };
      let evidence: string;
      let previous: Lock | undefined;
      if (!entry.ok) {
        evidence = `malformed lock: ${entry.file}:${entry.line ?? 1}: ${entry.problem}`;
        if (!force)
          return {
            stop: {
              outcome: "refused",
              state: "malformed",
              evidence: `${evidence}; use --force to remove it`,
            },
          };
      } else {
        previous = entry.lock;
        const heartbeats = await readLastHeartbeats(
          ws,
          [previous.branch],
          request.signal,
        );
        const lease = assessLease(
          previous,
          heartbeats.get(previous.branch),
          request.now?.() ?? new Date(),
        );
        evidence = `${previous.agent}'s claim ${previous.claimId}: ${lease.evidence}`;
        if (lease.state !== "stale" && !force) {
          return {
            stop: {
              outcome: "refused",
              state: lease.state,
              evidence: `${evidence}; breakable after ${lease.staleAt}`,
              holder: previous,
            },
          };
        }
      }
      const changes: FileChange[] = [
        { path: lockPath(request.taskId), remove: true },
      ];
      if (view.progress?.tasks.some((t) => t.id === request.taskId)) {
        const keep = previous ? `; work kept on branch ${previous.branch}` : "";
        const note = `lock ${previous ? `of ${previous.agent} ` : ""}broken by ${request.breaker}${force ? " (forced)" : ""}${keep}`;
        changes.push({
          path: PROGRESS_FILE,
          content: addTaskNote(view.progress, request.taskId, note),
        });
      }
      const message = renderCommitMessage({
        action: "break",
        subject: `break: ${request.taskId} (held by ${previous?.agent ?? "unknown"})`,
        task: request.taskId,
        agent: request.breaker,
        claimId: previous?.claimId,
        extra: {
          "Swarm-Evidence": evidence,
          ...(previous ? { "Swarm-Resume-Branch": previous.branch } : {}),
          ...(force ? { "Swarm-Forced": "true" } : {}),
        },
      });
      const commit = await buildCommit(ws.git, {
        base: view.tip,
        parents: [view.tip],
        changes,
        message,
      });
      return {
        push: commit,
        onLanded: (landed: string): BreakResult => ({
          outcome: "broken",
          commit: landed,
          previous,
          evidence,
          forced: force,
        }),
      };
    },
    request.signal,
  );
}
