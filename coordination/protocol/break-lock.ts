/**
 * Breaking a stale lock: allowed only when the lease rules say the holder is gone (or a human
 * forces it, which is recorded). The break is one commit on the task ref — a `broken` marker with
 * the evidence on top of the lock it read, pushed with that lock as the expected old value — and
 * none on main; the dead holder's work branch stays on the hub so the next claimer resumes from it.
 */
import { readLastHeartbeats } from "./heartbeat.js";
import { assessLease, type LeaseState } from "../state/lease.js";
import type { Lock } from "../state/lock-file.js";
import { markerUpdate } from "./task-end.js";
import { updateTask } from "./task-update.js";
import type { Workspace } from "../git/workspace.js";

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
      state: LeaseState | "malformed" | "queued";
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
  return updateTask<BreakResult>(
    ws,
    request.taskId,
    async (view, now) => {
      const entry = view.taskRef?.lock;
      if (entry === undefined || view.taskRef === undefined)
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
        // Impossible lease times are broken by their own evidence; anything unreadable needs a human.
        if (!force && entry.breakable !== true)
          return {
            stop: {
              outcome: "refused",
              state: "malformed",
              evidence: `${evidence}; use --force to remove it`,
            },
          };
      } else if (view.taskRef.queued !== undefined && !force) {
        // Queued (or approval-waiting) work needs no process of its author to land: alive by the entry.
        return {
          stop: {
            outcome: "refused",
            state: "queued",
            evidence: view.taskRef.queued.hold
              ? `${entry.lock.agent}'s claim ${entry.lock.claimId}: its work waits for a human's approval since ${view.taskRef.queued.queuedAt} ('gitswarm approve ${request.taskId}' or 'gitswarm reject ${request.taskId} --reason TEXT'); use --force to drop it`
              : `${entry.lock.agent}'s claim ${entry.lock.claimId}: its work waits in the merge queue since ${view.taskRef.queued.queuedAt}; use --force to drop it from the queue`,
            holder: entry.lock,
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
          request.now?.() ?? now,
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
      const marker = await markerUpdate(
        ws,
        view.taskRef.commit,
        {
          task: request.taskId,
          state: "broken",
          agent: request.breaker,
          claimId: previous?.claimId ?? "",
          at: now.toISOString(),
          evidence,
          ...(previous
            ? { attempt: previous.attempt, branch: previous.branch }
            : {}),
        },
        {
          action: "break",
          subject: `break: ${request.taskId} (held by ${previous?.agent ?? "unknown"})`,
          extra: {
            "Swarm-Evidence": evidence,
            ...(previous ? { "Swarm-Resume-Branch": previous.branch } : {}),
            ...(force ? { "Swarm-Forced": "true" } : {}),
          },
        },
        now,
      );
      return {
        push: [marker],
        onLanded: (): BreakResult => ({
          outcome: "broken",
          commit: marker.source,
          previous,
          evidence,
          forced: force,
        }),
      };
    },
    request.signal,
  );
}
