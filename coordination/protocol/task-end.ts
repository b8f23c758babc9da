/**
 * The end of a claim on its task ref: the fence (the ref must still be our lock commit) and the
 * terminal marker commit on top of that lock. Release and break write only the marker; done and
 * block push it atomically with their main commit (coordination/protocol/finish.ts).
 */
import { buildStateCommits } from "../git/commit-builder.js";
import { checkFence } from "./fencing.js";
import type { Lock } from "../state/lock-file.js";
import {
  markerPath,
  renderMarker,
  type TaskMarker,
} from "../state/task-marker.js";
import { hubTaskRef } from "../git/task-refs.js";
import type { TaskRoundView } from "./task-update.js";
import { renderCommitMessage, type SwarmAction } from "../git/trailers.js";
import type { Workspace } from "../git/workspace.js";
import type { RefUpdate } from "../git/push.js";

/** The claim being ended: who holds it and its fencing token. */
export interface HeldClaim {
  taskId: string;
  agent: string;
  claimId: string;
  signal?: AbortSignal;
}

/** `commit`: the main commit for done and block, the marker commit for a release. */
export type EndResult =
  | { outcome: "landed"; commit: string; marker: string }
  | { outcome: "fenced"; message: string; holder?: Lock }
  | { outcome: "conflict"; files: string[]; message: string }
  /** The task is no longer in PROGRESS.md (a human deleted or renamed it): nothing was written. */
  | { outcome: "gone"; message: string };

/** The `gone` result for a task missing from the hub's PROGRESS.md. */
export function goneResult(taskId: string): {
  outcome: "gone";
  message: string;
} {
  return {
    outcome: "gone",
    message: `task '${taskId}' is no longer in the hub's PROGRESS.md (deleted or renamed while claimed)`,
  };
}

/** Our lock as the task ref holds it (and the ref's commit), or the fenced result. Pure. */
export function fenceClaim(
  view: TaskRoundView,
  claim: HeldClaim,
):
  | { ok: true; lock: Lock; lockCommit: string }
  | { ok: false; result: EndResult } {
  const fence = checkFence(view.taskRef?.lock, claim.taskId, claim.claimId);
  if (!fence.ok || view.taskRef === undefined)
    return {
      ok: false,
      result: {
        outcome: "fenced",
        message: fence.ok ? "no task ref" : fence.message,
        holder: fence.ok ? undefined : fence.holder,
      },
    };
  return { ok: true, lock: fence.lock, lockCommit: view.taskRef.commit };
}

/** Builds the marker commit on top of `parent` and the ref update that pushes it fenced. */
export async function markerUpdate(
  ws: Workspace,
  parent: string,
  marker: TaskMarker,
  message: {
    action: SwarmAction;
    subject: string;
    body?: string;
    extra?: Record<string, string>;
  },
  at: Date,
): Promise<RefUpdate & { source: string }> {
  const [update] = await markerUpdates(ws, [{ parent, marker, message }], at);
  if (update === undefined) throw new Error("no marker commit was written");
  return update;
}

/** Several tasks' marker updates (a batch's `done`s), written by one git process. */
export async function markerUpdates(
  ws: Workspace,
  list: readonly {
    parent: string;
    marker: TaskMarker;
    message: Parameters<typeof markerUpdate>[3];
  }[],
  at: Date,
): Promise<(RefUpdate & { source: string })[]> {
  const commits = await buildStateCommits(
    ws.git,
    list.map(({ parent, marker, message }) => ({
      parent,
      path: markerPath(marker.task),
      content: renderMarker(marker),
      at,
      message: renderCommitMessage({
        ...message,
        task: marker.task,
        agent: marker.agent,
        claimId: marker.claimId,
        extra: {
          ...(marker.main ? { "Swarm-Main": marker.main } : {}),
          ...message.extra,
        },
      }),
    })),
  );
  // An empty source would delete the task ref: every marker must have its commit.
  if (commits.length !== list.length)
    throw new Error(
      `git fast-import wrote ${commits.length} of ${list.length} marker commits`,
    );
  return list.map(({ parent, marker }, i) => ({
    source: commits[i] as string,
    target: hubTaskRef(marker.task),
    expect: parent,
  }));
}
