/**
 * What a human's answer does to parked work (runner/gates/human-gate.ts), done by whoever records
 * the answer (`gitswarm approve` / `reject`), so no process of the author is needed. Approved work
 * lands at once: merged onto the hub's main and checked off in one done-commit, in ONE atomic push
 * with the task ref moving from the parked entry (the fence) to a `done` marker and the queue ref
 * deleted — a broken or re-claimed lock moved the task ref, so the hub refuses it. Work parked from
 * the merge queue (`then: queue`, gated on its own cases only) is handed to the lander instead.
 * Approved work that now conflicts with main is handed back to be rebased; rejected work is a failed
 * attempt with the human's reason. Each step is fenced and idempotent: run the command again.
 */
import { buildCommit } from "../../coordination/git/commit-builder.js";
import { hubQueueRef, fetchQueue } from "../../coordination/git/queue-refs.js";
import { hubTaskRef } from "../../coordination/git/task-refs.js";
import { renderCommitMessage } from "../../coordination/git/trailers.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { checkOffTask } from "../../coordination/progress/edit.js";
import {
  mergeWork,
  progressIn,
  releaseTask,
} from "../../coordination/protocol/finish.js";
import { markerUpdate } from "../../coordination/protocol/task-end.js";
import {
  updateTask,
  type TaskRoundView,
} from "../../coordination/protocol/task-update.js";
import { entryDoneMessage } from "../../coordination/queue/land-batch.js";
import type { QueuedWork } from "../../coordination/queue/read-queue.js";
import {
  PROGRESS_FILE,
  readTaskView,
} from "../../coordination/state/hub-view.js";
import {
  queuePath,
  renderQueueEntry,
} from "../../coordination/state/queue-entry.js";
import { bounceQueued, failQueued } from "../queue/hand-back.js";
import type { ApprovalRecord } from "./approval-record.js";

/** What the answer did. */
export type AnswerOutcome =
  | { outcome: "landed"; commit: string }
  | { outcome: "queued" }
  | { outcome: "rejected" }
  /** Approved, but it conflicts with what landed meanwhile: handed back to be rebased. */
  | { outcome: "conflict"; files: string[] }
  /** No parked work of the record's claim (it landed or ended already, or its lock was broken). */
  | { outcome: "over"; message: string };

/** The parked entry of `record`'s claim in a view; undefined when the claim no longer waits. Pure. */
export function heldEntryOf(
  view: { taskRef?: TaskRoundView["taskRef"] },
  record: Pick<ApprovalRecord, "claimId">,
): QueuedWork | undefined {
  const ref = view.taskRef;
  const entry = ref?.queued;
  if (ref === undefined || entry?.hold === undefined || !ref.lock?.ok)
    return undefined;
  if (entry.claimId !== record.claimId) return undefined;
  return { entry, entryCommit: ref.commit, lock: ref.lock.lock };
}

/** The parked work of `record`'s claim on the hub (fetched with its work); undefined when over. */
export async function findParked(
  ws: Workspace,
  record: Pick<ApprovalRecord, "task" | "claimId">,
  signal?: AbortSignal,
): Promise<QueuedWork | undefined> {
  // The work itself lives on the hub under its queue ref: fetch it with the task refs.
  await fetchQueue(ws, signal);
  return heldEntryOf(await readTaskView(ws, record.task), record);
}

/** Carries out an `approved` or `rejected` record on its claim's parked work (`item`). */
export async function actOnAnswer(
  ws: Workspace,
  record: ApprovalRecord,
  item: QueuedWork,
  options: { maxAttempts: number; signal?: AbortSignal },
): Promise<AnswerOutcome> {
  const { signal } = options;
  const quiet = () => undefined;
  if (record.state === "rejected") {
    const reason = `rejected by ${record.by ?? "a human"}: ${record.reason ?? "no reason given"}`;
    await failQueued(ws, item, reason, options.maxAttempts, quiet, signal);
    return { outcome: "rejected" };
  }
  const result = await landParked(ws, record, signal);
  if (result.outcome === "gone") {
    const message = `task '${record.task}' is no longer in the hub's ${PROGRESS_FILE} (deleted or renamed while it waited); its claim is released, the work kept on ${result.item.lock.branch}`;
    await releaseTask(ws, {
      taskId: record.task,
      agent: record.agent,
      claimId: record.claimId,
      reason: message,
      signal,
    });
    return { outcome: "over", message };
  }
  if (result.outcome === "conflict")
    await bounceQueued(
      ws,
      result.item,
      result.files,
      options.maxAttempts,
      quiet,
      signal,
    );
  return result.outcome === "conflict"
    ? { outcome: "conflict", files: result.files }
    : result;
}

type LandStep =
  | Exclude<AnswerOutcome, { outcome: "conflict" | "rejected" }>
  | { outcome: "conflict"; files: string[]; item: QueuedWork }
  | { outcome: "gone"; item: QueuedWork };

/** Lands approved work (or unholds it for the lander), fenced by the parked entry's commit. */
function landParked(
  ws: Workspace,
  record: ApprovalRecord,
  signal?: AbortSignal,
): Promise<LandStep> {
  return updateTask<LandStep>(
    ws,
    record.task,
    async (view, now) => {
      const item = heldEntryOf(view, record);
      if (item === undefined)
        return {
          stop: {
            outcome: "over",
            message: `the work of ${record.agent}'s claim ${record.claimId} no longer waits on the hub`,
          },
        };
      const { entry, entryCommit, lock } = item;
      if (entry.then === "queue") {
        const { hold: _hold, then: _then, ...queued } = entry;
        const commit = await buildCommit(ws.git, {
          base: entryCommit,
          parents: [entryCommit],
          changes: [
            { path: queuePath(entry.task), content: renderQueueEntry(queued) },
          ],
          message: renderCommitMessage({
            action: "enqueue",
            subject: `enqueue: ${entry.task} (${entry.agent}, approved by ${record.by ?? "a human"})`,
            task: entry.task,
            agent: entry.agent,
            claimId: entry.claimId,
            extra: { "Swarm-Work": entry.work },
          }),
        });
        return {
          push: [
            {
              source: commit,
              target: hubTaskRef(entry.task),
              expect: entryCommit,
            },
          ],
          onLanded: (): LandStep => ({ outcome: "queued" }),
        };
      }
      const merged = await mergeWork(ws, view.tip, entry.work);
      if (!merged.ok)
        return {
          stop: { outcome: "conflict", files: merged.result.files, item },
        };
      const progress = await progressIn(ws, merged.tree, view);
      if (!progress.tasks.some((t) => t.id === entry.task))
        return { stop: { outcome: "gone", item } };
      const title =
        progress.tasks.find((t) => t.id === entry.task)?.title ?? entry.task;
      const main = await buildCommit(ws.git, {
        base: merged.tree,
        parents: [view.tip],
        changes: [
          {
            path: PROGRESS_FILE,
            content: checkOffTask(progress, entry.task, entry.result),
          },
        ],
        message: entryDoneMessage(entry, title),
      });
      const approved = `approved by ${record.by ?? "a human"}`;
      const marker = await markerUpdate(
        ws,
        entryCommit,
        {
          task: entry.task,
          state: "done",
          agent: entry.agent,
          claimId: entry.claimId,
          at: now.toISOString(),
          main,
          attempt: lock.attempt,
          review: record.review ? `${record.review}; ${approved}` : approved,
        },
        {
          action: "done",
          subject: `done: ${entry.task} (${entry.agent}, ${approved})`,
        },
        now,
      );
      return {
        push: [
          { source: main, target: `refs/heads/${ws.branch}`, expect: view.tip },
          marker,
          // An empty source deletes: the work is on main now.
          {
            source: "",
            target: hubQueueRef(entry.task, entry.claimId),
            expect: entry.work,
          },
        ],
        onLanded: (): LandStep => ({ outcome: "landed", commit: main }),
      };
    },
    signal,
  );
}
