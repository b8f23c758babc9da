/**
 * A human's decisions about a task, written to PROGRESS.md on the hub's main in one compare-and-
 * swap round (coordination/protocol/main-update.ts): reopen a blocked task (its `blocked:` line
 * removed, as by hand), or block an open one with a reason. `gitswarm reopen` / `gitswarm block`
 * and the dashboard's buttons both call these; nothing else writes these edits.
 */
import { renderCommitMessage } from "../git/trailers.js";
import { buildCommit } from "../git/commit-builder.js";
import type { Workspace } from "../git/workspace.js";
import { blockTask as blockInProgress, unblockTask } from "../progress/edit.js";
import { PROGRESS_FILE } from "../state/hub-view.js";
import { SwarmError, UserError } from "../base/errors.js";
import { updateMain } from "./main-update.js";

/** What a reopen or block did: landed (with main's new commit), or why nothing was written. */
export type TaskAdminResult =
  | { outcome: "landed"; commit: string }
  | {
      outcome: "refused";
      reason: "not-blocked" | "already-blocked" | "done" | "held";
      message: string;
    };

/** Who asks, for which task, and (for a block) why. */
export interface TaskAdminRequest {
  taskId: string;
  /** The human (or tool) acting; recorded in the commit. */
  by: string;
  signal?: AbortSignal;
}

/** Reopens a blocked task on the hub's main; refused (a value) when it is not blocked. */
export function reopenTask(
  ws: Workspace,
  request: TaskAdminRequest,
): Promise<TaskAdminResult> {
  return updateMain<TaskAdminResult>(
    ws,
    request.taskId,
    async (view) => {
      const doc = requireProgress(view.progress);
      const task = doc.tasks.find((t) => t.id === request.taskId);
      if (task === undefined) throw unknownTask(request.taskId);
      if (task.blockedReason === undefined)
        return {
          stop: {
            outcome: "refused",
            reason: "not-blocked",
            message: `task '${request.taskId}' is not blocked: nothing to reopen`,
          },
        };
      return {
        push: await commitProgress(
          ws,
          view.tip,
          unblockTask(doc, request.taskId),
          `progress: reopen ${request.taskId} (${request.by})`,
          `was blocked: ${task.blockedReason}`,
          request,
        ),
        onLanded: (commit) => ({ outcome: "landed", commit }),
      };
    },
    request.signal,
  );
}

/**
 * Blocks a task that nobody holds (a human's "do not work on this"), with a reason on main. A held
 * task is refused: its holder ends its claim (`gitswarm release --blocked`).
 */
export function blockOpenTask(
  ws: Workspace,
  request: TaskAdminRequest & { reason: string },
): Promise<TaskAdminResult> {
  return updateMain<TaskAdminResult>(
    ws,
    request.taskId,
    async (view) => {
      const doc = requireProgress(view.progress);
      const task = doc.tasks.find((t) => t.id === request.taskId);
      if (task === undefined) throw unknownTask(request.taskId);
      const refuse = (
        reason: "already-blocked" | "done" | "held",
        message: string,
      ) => ({ stop: { outcome: "refused" as const, reason, message } });
      if (task.blockedReason !== undefined)
        return refuse(
          "already-blocked",
          `task '${request.taskId}' is already blocked: ${task.blockedReason}`,
        );
      if (task.status === "done" || view.archivedIds.includes(task.id))
        return refuse("done", `task '${request.taskId}' is done`);
      const lock = view.locks[0];
      if (lock !== undefined)
        return refuse(
          "held",
          `task '${request.taskId}' is held${lock.ok ? ` by ${lock.lock.agent}` : ""}; its holder gives it up with 'gitswarm release ${request.taskId} --blocked', or break a stale lock first`,
        );
      return {
        push: await commitProgress(
          ws,
          view.tip,
          blockInProgress(doc, request.taskId, request.reason),
          `progress: block ${request.taskId} (${request.by})`,
          request.reason,
          request,
        ),
        onLanded: (commit) => ({ outcome: "landed", commit }),
      };
    },
    request.signal,
  );
}

function requireProgress<T>(progress: T | undefined): T {
  if (progress === undefined)
    throw new SwarmError("no-progress", `no ${PROGRESS_FILE} on the hub`);
  return progress;
}

function unknownTask(taskId: string): UserError {
  return new UserError(
    "unknown-task",
    `no task '${taskId}' in the hub's ${PROGRESS_FILE}; 'gitswarm status' lists them`,
  );
}

function commitProgress(
  ws: Workspace,
  tip: string,
  content: string,
  subject: string,
  body: string,
  request: TaskAdminRequest,
): Promise<string> {
  return buildCommit(ws.git, {
    base: tip,
    parents: [tip],
    changes: [{ path: PROGRESS_FILE, content }],
    message: renderCommitMessage({
      action: "progress",
      subject,
      body,
      task: request.taskId,
      agent: request.by,
    }),
  });
}
