/**
 * Ending a claim: `finishTask` lands the work, the lock removal and the check-off as ONE commit on
 * main (no separate release commit); `releaseTask` gives the task back; `blockTask` gives it up
 * with a reason. All three are fenced: they land only while the lock still carries our claim id.
 */
import { SwarmError } from "./base/errors.js";
import { entryText, readObjects } from "./cat-file.js";
import { checkFence } from "./fencing.js";
import { buildCommit, type FileChange } from "./commit-builder.js";
import { PROGRESS_FILE, type HubView } from "./hub-view.js";
import type { Lock } from "./lock-file.js";
import { lockPath } from "./lock-file.js";
import { updateMain } from "./main-update.js";
import {
  addTaskNote,
  blockTask as blockInProgress,
  checkOffTask,
} from "./progress-edit.js";
import { parseProgress, type ProgressDoc } from "./progress-parse.js";
import { renderCommitMessage, type SwarmAction } from "./trailers.js";
import type { Workspace } from "./workspace.js";

/** The claim being ended: who holds it and its fencing token. */
export interface HeldClaim {
  taskId: string;
  agent: string;
  claimId: string;
  signal?: AbortSignal;
}

export type EndResult =
  | { outcome: "landed"; commit: string }
  | { outcome: "fenced"; message: string; holder?: Lock }
  | { outcome: "conflict"; files: string[]; message: string };

/**
 * Lands a finished task: `work` (a commit in the clone, usually the work branch) is merged onto the
 * hub's tip and squashed, with the lock removed and the task checked off, into one commit.
 */
export function finishTask(
  ws: Workspace,
  claim: HeldClaim & { work?: string; summary?: string },
): Promise<EndResult> {
  return updateMain<EndResult>(
    ws,
    claim.taskId,
    async (view) => {
      const fence = checkFence(view.locks[0], claim.taskId, claim.claimId);
      if (!fence.ok)
        return {
          stop: {
            outcome: "fenced",
            message: fence.message,
            holder: fence.holder,
          },
        };
      const merged =
        claim.work === undefined
          ? { ok: true as const, tree: view.tip }
          : await mergeWork(ws, view.tip, claim.work);
      if (!merged.ok) return { stop: merged.result };
      const progress = await progressIn(ws, merged.tree, view);
      const changes: FileChange[] = [
        { path: lockPath(claim.taskId), remove: true },
        { path: PROGRESS_FILE, content: checkOffTask(progress, claim.taskId) },
      ];
      const title =
        progress.tasks.find((t) => t.id === claim.taskId)?.title ?? "";
      return commitStep(
        ws,
        view.tip,
        merged.tree,
        changes,
        "done",
        `done: ${claim.taskId} — ${title}`,
        claim,
        claim.summary,
      );
    },
    claim.signal,
  );
}

/** Gives a claim back; the task is open again. A reason is recorded as a note in PROGRESS.md. */
export function releaseTask(
  ws: Workspace,
  claim: HeldClaim & { reason?: string },
): Promise<EndResult> {
  const reason = claim.reason;
  return endWithoutWork(ws, claim, "release", reason, (progress) =>
    reason === undefined
      ? undefined
      : addTaskNote(
          progress,
          claim.taskId,
          `released by ${claim.agent}: ${reason}`,
        ),
  );
}

/** Gives a task up: removes the lock and marks the task blocked with the reason. */
export function blockTask(
  ws: Workspace,
  claim: HeldClaim & { reason: string },
): Promise<EndResult> {
  return endWithoutWork(ws, claim, "block", claim.reason, (progress) =>
    blockInProgress(progress, claim.taskId, claim.reason),
  );
}

/**
 * Release and block: fenced, one commit removing the lock and, when `editProgress` returns text,
 * rewriting PROGRESS.md on the hub's tip.
 */
function endWithoutWork(
  ws: Workspace,
  claim: HeldClaim,
  action: "release" | "block",
  reason: string | undefined,
  editProgress: (progress: ProgressDoc) => string | undefined,
): Promise<EndResult> {
  return updateMain<EndResult>(
    ws,
    claim.taskId,
    async (view) => {
      const fence = checkFence(view.locks[0], claim.taskId, claim.claimId);
      if (!fence.ok) {
        return {
          stop: {
            outcome: "fenced",
            message: fence.message,
            holder: fence.holder,
          },
        };
      }
      const changes: FileChange[] = [
        { path: lockPath(claim.taskId), remove: true },
      ];
      const progress =
        view.progress === undefined ? undefined : editProgress(view.progress);
      if (progress !== undefined)
        changes.push({ path: PROGRESS_FILE, content: progress });
      const subject = `${action}: ${claim.taskId} (${claim.agent})`;
      return commitStep(
        ws,
        view.tip,
        view.tip,
        changes,
        action,
        subject,
        claim,
        reason,
      );
    },
    claim.signal,
  );
}

async function commitStep(
  ws: Workspace,
  tip: string,
  base: string,
  changes: FileChange[],
  action: SwarmAction,
  subject: string,
  claim: HeldClaim,
  body?: string,
) {
  const message = renderCommitMessage({
    action,
    subject,
    body,
    task: claim.taskId,
    agent: claim.agent,
    claimId: claim.claimId,
  });
  const commit = await buildCommit(ws.git, {
    base,
    parents: [tip],
    changes,
    message,
  });
  return {
    push: commit,
    onLanded: (landed: string): EndResult => ({
      outcome: "landed",
      commit: landed,
    }),
  };
}

type MergeOutcome =
  { ok: true; tree: string } | { ok: false; result: EndResult };

/** Merges the work onto the tip without a working tree (`git merge-tree`, git 2.38+). */
async function mergeWork(
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
async function progressIn(ws: Workspace, tree: string, view: HubView) {
  const [entry] = await readObjects(ws.git, [`${tree}:${PROGRESS_FILE}`]);
  const text = entryText(entry);
  if (text !== undefined) return parseProgress(text, PROGRESS_FILE);
  if (view.progress !== undefined) return view.progress;
  throw new SwarmError("no-progress", `no ${PROGRESS_FILE} on the hub`);
}
