/**
 * Ending a claim. `finishTask` lands the work and the check-off as ONE commit on main and moves the
 * task ref from our lock to a `done` marker naming that commit — both in one atomic push whose
 * expected old value for the task ref is our lock commit, so the hub itself refuses it if the lock
 * was broken or re-claimed. `blockTask` likewise (main gets the `blocked:` line). `releaseTask`
 * writes only the task ref: a `released` marker with the reason; main is not touched. A task that
 * is no longer in PROGRESS.md (a human deleted or renamed it meanwhile) ends as `gone`, a value:
 * nothing is written, and the holder releases its claim.
 */
import { SwarmError } from "../base/errors.js";
import { entryText, readObjects } from "../git/cat-file.js";
import { buildCommit } from "../git/commit-builder.js";
import { PROGRESS_FILE, type HubView } from "../state/hub-view.js";
import {
  blockTask as blockInProgress,
  checkOffTask,
} from "../progress/edit.js";
import { parseProgress } from "../progress/parse.js";
import {
  fenceClaim,
  goneResult,
  markerUpdate,
  type EndResult,
  type HeldClaim,
} from "./task-end.js";
import { isSystemTaskId } from "../progress/task.js";
import { updateTask } from "./task-update.js";
import { renderCommitMessage, type SwarmCommit } from "../git/trailers.js";
import type { Workspace } from "../git/workspace.js";

export type { EndResult, HeldClaim } from "./task-end.js";

/**
 * Lands a finished task: `work` (a commit in the clone, usually the work branch) is merged onto the
 * hub's tip and squashed with the task checked off into one commit (a recurring `swarm-` task gets
 * no check-off; with nothing to land only its ref moves).
 */
export function finishTask(
  ws: Workspace,
  claim: HeldClaim & {
    work?: string;
    summary?: string;
    /** A job's final figures: the check-off adds them as one `result:` line under the task. */
    result?: string;
    /** How the work was reviewed (the gates' verdicts), kept on the done marker. */
    review?: string;
    /** The main commit's action, subject and extra trailers (the coalescer's `coalesce` landing). */
    message?: Pick<SwarmCommit, "action" | "subject" | "extra">;
  },
): Promise<EndResult> {
  return updateTask<EndResult>(
    ws,
    claim.taskId,
    async (view, now) => {
      const fence = fenceClaim(view, claim);
      if (!fence.ok) return { stop: fence.result };
      const merged =
        claim.work === undefined
          ? { ok: true as const, tree: view.tip }
          : await mergeWork(ws, view.tip, claim.work);
      if (!merged.ok) return { stop: merged.result };
      const recurring = isSystemTaskId(claim.taskId);
      let main = view.tip;
      if (!recurring || !(await sameTree(ws, merged.tree, view.tip))) {
        const progress = recurring
          ? undefined
          : await progressIn(ws, merged.tree, view);
        // Deleted or renamed by a human while claimed: a value, so the agent can release cleanly.
        if (
          progress !== undefined &&
          !progress.tasks.some((t) => t.id === claim.taskId)
        )
          return { stop: goneResult(claim.taskId) };
        const title =
          progress?.tasks.find((t) => t.id === claim.taskId)?.title ??
          claim.taskId;
        main = await buildCommit(ws.git, {
          base: merged.tree,
          parents: [view.tip],
          changes: progress
            ? [
                {
                  path: PROGRESS_FILE,
                  content: checkOffTask(progress, claim.taskId, claim.result),
                },
              ]
            : [],
          message: renderCommitMessage({
            action: claim.message?.action ?? "done",
            subject:
              claim.message?.subject ?? `done: ${claim.taskId} — ${title}`,
            body: claim.summary,
            task: claim.taskId,
            agent: claim.agent,
            claimId: claim.claimId,
            extra: claim.message?.extra,
          }),
        });
      }
      const marker = await markerUpdate(
        ws,
        fence.lockCommit,
        {
          task: claim.taskId,
          state: "done",
          agent: claim.agent,
          claimId: claim.claimId,
          at: now.toISOString(),
          main,
          attempt: fence.lock.attempt,
          ...(claim.review === undefined ? {} : { review: claim.review }),
        },
        { action: "done", subject: `done: ${claim.taskId} (${claim.agent})` },
        now,
      );
      const mainUpdate = {
        source: main,
        target: `refs/heads/${ws.branch}`,
        expect: view.tip,
      };
      return {
        push: main === view.tip ? [marker] : [mainUpdate, marker],
        onLanded: (): EndResult => ({
          outcome: "landed",
          commit: main,
          marker: marker.source,
        }),
      };
    },
    claim.signal,
  );
}

/** Gives a claim back; the task is open again. The reason is kept on the task ref's marker. */
export function releaseTask(
  ws: Workspace,
  claim: HeldClaim & { reason?: string },
): Promise<EndResult> {
  return updateTask<EndResult>(
    ws,
    claim.taskId,
    async (view, now) => {
      const fence = fenceClaim(view, claim);
      if (!fence.ok) return { stop: fence.result };
      const marker = await markerUpdate(
        ws,
        fence.lockCommit,
        {
          task: claim.taskId,
          state: "released",
          agent: claim.agent,
          claimId: claim.claimId,
          at: now.toISOString(),
          reason: claim.reason ?? "",
          attempt: fence.lock.attempt,
          branch: fence.lock.branch,
        },
        {
          action: "release",
          subject: `release: ${claim.taskId} (${claim.agent})`,
          body: claim.reason,
        },
        now,
      );
      return {
        push: [marker],
        onLanded: (): EndResult => ({
          outcome: "landed",
          commit: marker.source,
          marker: marker.source,
        }),
      };
    },
    claim.signal,
  );
}

/** Gives a task up: the task is marked blocked with the reason on main, the lock ended. */
export function blockTask(
  ws: Workspace,
  claim: HeldClaim & { reason: string },
): Promise<EndResult> {
  return updateTask<EndResult>(
    ws,
    claim.taskId,
    async (view, now) => {
      const fence = fenceClaim(view, claim);
      if (!fence.ok) return { stop: fence.result };
      if (view.progress === undefined)
        throw new SwarmError("no-progress", `no ${PROGRESS_FILE} on the hub`);
      if (!view.progress.tasks.some((t) => t.id === claim.taskId))
        return { stop: goneResult(claim.taskId) };
      const main = await buildCommit(ws.git, {
        base: view.tip,
        parents: [view.tip],
        changes: [
          {
            path: PROGRESS_FILE,
            content: blockInProgress(view.progress, claim.taskId, claim.reason),
          },
        ],
        message: renderCommitMessage({
          action: "block",
          subject: `block: ${claim.taskId} (${claim.agent})`,
          body: claim.reason,
          task: claim.taskId,
          agent: claim.agent,
          claimId: claim.claimId,
        }),
      });
      const marker = await markerUpdate(
        ws,
        fence.lockCommit,
        {
          task: claim.taskId,
          state: "blocked",
          agent: claim.agent,
          claimId: claim.claimId,
          at: now.toISOString(),
          reason: claim.reason,
          main,
          attempt: fence.lock.attempt,
          branch: fence.lock.branch,
        },
        {
          action: "block",
          subject: `block: ${claim.taskId} (${claim.agent})`,
          body: claim.reason,
        },
        now,
      );
      return {
        push: [
          { source: main, target: `refs/heads/${ws.branch}`, expect: view.tip },
          marker,
        ],
        onLanded: (): EndResult => ({
          outcome: "landed",
          commit: main,
          marker: marker.source,
        }),
      };
    },
    claim.signal,
  );
}

async function sameTree(ws: Workspace, tree: string, commit: string) {
  const [a, b] = await readObjects(ws.git, [
    `${tree}^{tree}`,
    `${commit}^{tree}`,
  ]);
  return a !== undefined && !a.missing && !b?.missing && a.oid === b?.oid;
}

/** A merge of work onto a tip: the merged tree, or the conflict as an end result naming the files. */
export type MergeOutcome =
  | { ok: true; tree: string }
  | { ok: false; result: Extract<EndResult, { outcome: "conflict" }> };

/** Merges the work onto the tip without a working tree (`git merge-tree`, git 2.38+). */
export async function mergeWork(
  ws: Workspace,
  tip: string,
  work: string,
): Promise<MergeOutcome> {
  const result = await ws.git.tryRun([
    "merge-tree",
    "--write-tree",
    "--name-only",
    "--no-messages",
    tip,
    work,
  ]);
  const [tree, ...files] = result.stdout
    .split("\n")
    .filter((line) => line.length > 0);
  if (result.exitCode === 0 && tree !== undefined) return { ok: true, tree };
  if (result.exitCode === 1) {
    const message = `the work conflicts with the hub's main in: ${files.join(", ")}; rebase onto it and resolve`;
    return { ok: false, result: { outcome: "conflict", files, message } };
  }
  throw new SwarmError(
    "git-failed",
    `git merge-tree failed in ${ws.dir}: ${result.stderr.trim()} (gitswarm needs git 2.38 or newer)`,
  );
}

/** PROGRESS.md as merged (the agent may have added notes), falling back to the hub's copy. */
export async function progressIn(ws: Workspace, tree: string, view: HubView) {
  const [entry] = await readObjects(ws.git, [`${tree}:${PROGRESS_FILE}`]);
  const text = entryText(entry);
  if (text !== undefined) return parseProgress(text, PROGRESS_FILE);
  if (view.progress !== undefined) return view.progress;
  throw new SwarmError("no-progress", `no ${PROGRESS_FILE} on the hub`);
}
