/**
 * Enqueuing finished work instead of landing it: ONE atomic push moves the task ref from our lock
 * commit to an entry commit (the lock unchanged, `queue/<id>.md` beside it) and creates the queue
 * ref that keeps the work on the hub. Fenced like every end of a claim: the push names our lock
 * commit as the task ref's expected old value, so a broken or re-claimed lock refuses it. The claim
 * stays held — by the queue now — until the lander lands the work or hands it back. Work that
 * waits for a human is parked the same way, with `hold: approval` (coordination/state/queue-entry.ts).
 */
import { buildCommit } from "../git/commit-builder.js";
import { hubQueueRef } from "../git/queue-refs.js";
import { hubTaskRef } from "../git/task-refs.js";
import { renderCommitMessage } from "../git/trailers.js";
import type { Workspace } from "../git/workspace.js";
import {
  queuePath,
  renderQueueEntry,
  type QueueEntry,
} from "../state/queue-entry.js";
import { isSystemTaskId } from "../progress/task.js";
import {
  fenceClaim,
  goneResult,
  type HeldClaim,
} from "../protocol/task-end.js";
import { updateTask } from "../protocol/task-update.js";

export type EnqueueResult =
  | { outcome: "queued"; entry: QueueEntry; commit: string }
  | { outcome: "fenced"; message: string }
  /** The task left main's PROGRESS.md (a human deleted or renamed it): nothing was written. */
  | { outcome: "gone"; message: string };

/** Queues `work` (a commit in the clone, e.g. `HEAD`) for the lander; idempotent per claim. */
export async function enqueueWork(
  ws: Workspace,
  claim: HeldClaim & {
    work: string;
    summary?: string;
    result?: string;
    /** Park the work for a human's approval instead (the lander skips it until then). */
    hold?: Pick<QueueEntry, "hold" | "then">;
  },
): Promise<EnqueueResult> {
  const work = (
    await ws.git.run(["rev-parse", "--verify", `${claim.work}^{commit}`])
  ).trim();
  return updateTask<EnqueueResult>(
    ws,
    claim.taskId,
    async (view, now) => {
      if (view.taskRef?.queued?.claimId === claim.claimId)
        return {
          stop: {
            outcome: "queued",
            entry: view.taskRef.queued,
            commit: view.taskRef.commit,
          },
        };
      const fence = fenceClaim(view, claim);
      if (!fence.ok)
        return {
          stop: {
            outcome: "fenced",
            message:
              fence.result.outcome === "landed"
                ? "fenced"
                : fence.result.message,
          },
        };
      // Deleted or renamed by a human while claimed: the lander could never check it off.
      if (
        view.progress !== undefined &&
        !isSystemTaskId(claim.taskId) &&
        !view.progress.tasks.some((t) => t.id === claim.taskId)
      )
        return { stop: goneResult(claim.taskId) };
      const entry: QueueEntry = {
        task: claim.taskId,
        agent: claim.agent,
        claimId: claim.claimId,
        work,
        queuedAt: now.toISOString(),
        ...(claim.summary ? { summary: claim.summary } : {}),
        ...(claim.result === undefined ? {} : { result: claim.result }),
        ...claim.hold,
      };
      const commit = await buildCommit(ws.git, {
        base: fence.lockCommit,
        parents: [fence.lockCommit],
        changes: [
          { path: queuePath(claim.taskId), content: renderQueueEntry(entry) },
        ],
        message: renderCommitMessage({
          action: "enqueue",
          subject: `${claim.hold?.hold ? "wait for approval" : "enqueue"}: ${claim.taskId} (${claim.agent})`,
          task: claim.taskId,
          agent: claim.agent,
          claimId: claim.claimId,
          extra: { "Swarm-Work": work },
        }),
      });
      return {
        push: [
          {
            source: commit,
            target: hubTaskRef(claim.taskId),
            expect: fence.lockCommit,
          },
          // Empty expectation: the ref must not exist yet (one per claim).
          {
            source: work,
            target: hubQueueRef(claim.taskId, claim.claimId),
            expect: "",
          },
        ],
        onLanded: (): EnqueueResult => ({ outcome: "queued", entry, commit }),
      };
    },
    claim.signal,
  );
}
