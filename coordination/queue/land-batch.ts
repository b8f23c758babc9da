/**
 * A batch on main, built and landed: each entry's work is merged onto the growing chain with
 * `git merge-tree` and squashed with its check-off into one done-commit (so main keeps one commit
 * per task), the files the lander owns (the oracle baseline) follow the chain rather than the
 * work, and the whole batch lands in ONE `git push --atomic`: main from the tip read to the chain's
 * head, each task ref from its entry commit (the fence) to a `done` marker, each queue ref deleted.
 * A broken lock, a human push or another lander moves one of those refs and the hub refuses all.
 */
import { entryText, readObjects } from "../git/cat-file.js";
import { buildCommit, type FileChange } from "../git/commit-builder.js";
import { pushAtomic, type RefUpdate } from "../git/push.js";
import { hubQueueRef } from "../git/queue-refs.js";
import { renderCommitMessage } from "../git/trailers.js";
import type { Workspace } from "../git/workspace.js";
import { checkOffTask } from "../progress/edit.js";
import { mergeWork, progressIn } from "../protocol/finish.js";
import { markerUpdates } from "../protocol/task-end.js";
import { PROGRESS_FILE, type HubView } from "../state/hub-view.js";
import type { QueuedWork } from "./read-queue.js";

/** One entry's done-commit in the chain. */
export interface ChainStep {
  item: QueuedWork;
  commit: string;
  /** The commit's parent and message, to rebuild the last step with the gate's own files. */
  parent: string;
  message: string;
}

/**
 * The batch merged onto the tip: the steps in order, the entries whose merge conflicted, and those
 * whose task is no longer in PROGRESS.md (a human deleted or renamed it while the work waited).
 */
export interface Chain {
  tip: string;
  /** The chain's head (the tip itself when nothing merged). */
  head: string;
  steps: ChainStep[];
  conflicts: { item: QueuedWork; files: string[] }[];
  gone: QueuedWork[];
}

/**
 * Merges `items` onto `tip` in order. `owned` paths (the oracle baseline) take the chain's version,
 * never the work's: the lander recomputes them on the merged tree, so they never conflict.
 */
export async function buildChain(
  ws: Workspace,
  view: HubView & { tip: string },
  items: readonly QueuedWork[],
  owned: readonly string[],
): Promise<Chain> {
  let head = view.tip;
  const steps: ChainStep[] = [];
  const conflicts: Chain["conflicts"] = [];
  const gone: QueuedWork[] = [];
  // The chain never changes the owned files, so every step's head has the tip's: each work's
  // follow-up is known before the merges, from one read, and built concurrently.
  const works = await followTip(ws, items, view.tip, owned);
  for (const [i, item] of items.entries()) {
    const merged = await mergeWork(ws, head, works[i] ?? item.entry.work);
    if (!merged.ok) {
      conflicts.push({ item, files: merged.result.files });
      continue;
    }
    const { entry } = item;
    const progress = await progressIn(ws, merged.tree, view);
    const task = progress.tasks.find((t) => t.id === entry.task);
    if (task === undefined) {
      gone.push(item);
      continue;
    }
    const message = entryDoneMessage(entry, task.title);
    const commit = await buildCommit(ws.git, {
      base: merged.tree,
      baseTree: true,
      parents: [head],
      changes: [
        {
          path: PROGRESS_FILE,
          content: checkOffTask(progress, entry.task, entry.result),
        },
      ],
      message,
    });
    steps.push({ item, commit, parent: head, message });
    head = commit;
  }
  return { tip: view.tip, head, steps, conflicts, gone };
}

export type LandBatchResult =
  | { outcome: "landed"; head: string; commits: string[] }
  | { outcome: "rejected"; detail: string };

/**
 * Lands the chain in one atomic push. `changes` (the raised baseline) are folded into the last
 * done-commit, so main moves to exactly the gated tree plus what the gate computed.
 */
export async function landChain(
  ws: Workspace,
  chain: Chain,
  changes: readonly FileChange[],
  signal?: AbortSignal,
): Promise<LandBatchResult> {
  const steps = [...chain.steps];
  const last = steps.at(-1);
  if (last === undefined) return { outcome: "rejected", detail: "empty batch" };
  if (changes.length > 0)
    steps[steps.length - 1] = {
      ...last,
      commit: await buildCommit(ws.git, {
        base: last.commit,
        parents: [last.parent],
        changes,
        message: last.message,
      }),
    };
  const head = steps.at(-1)?.commit ?? chain.head;
  const now = new Date();
  const updates: RefUpdate[] = [
    { source: head, target: `refs/heads/${ws.branch}`, expect: chain.tip },
  ];
  // Every task ref's `done` marker, written by one git process.
  const markers = await markerUpdates(
    ws,
    steps.map((step) => {
      const { entry, entryCommit, lock } = step.item;
      return {
        parent: entryCommit,
        marker: {
          task: entry.task,
          state: "done" as const,
          agent: entry.agent,
          claimId: entry.claimId,
          at: now.toISOString(),
          main: step.commit,
          attempt: lock.attempt,
        },
        message: {
          action: "done" as const,
          subject: `done: ${entry.task} (${entry.agent}, landed by the queue)`,
        },
      };
    }),
    now,
  );
  steps.forEach((step, i) => {
    const { entry } = step.item;
    const marker = markers[i];
    if (marker !== undefined) updates.push(marker);
    // An empty source deletes: the work is on main now.
    updates.push({
      source: "",
      target: hubQueueRef(entry.task, entry.claimId),
      expect: entry.work,
    });
  });
  const pushed = await pushAtomic(ws, updates, { signal });
  return pushed.ok
    ? { outcome: "landed", head, commits: steps.map((s) => s.commit) }
    : { outcome: "rejected", detail: pushed.detail };
}

/** Deletes queue refs whose claims are over (each only if it still names the work read). */
export async function pruneQueueRefs(
  ws: Workspace,
  orphans: readonly { taskId: string; claimId: string; work: string }[],
  signal?: AbortSignal,
): Promise<boolean> {
  if (orphans.length === 0) return true;
  const pushed = await pushAtomic(
    ws,
    orphans.map((o) => ({
      source: "",
      target: hubQueueRef(o.taskId, o.claimId),
      expect: o.work,
    })),
    { signal },
  );
  return pushed.ok;
}

/**
 * Each work with the `owned` files set to the tip's version (a commit on top of the work), so the
 * merge takes the chain's; the work itself when it already agrees. One `cat-file` reads them all.
 */
async function followTip(
  ws: Workspace,
  items: readonly QueuedWork[],
  tip: string,
  owned: readonly string[],
): Promise<string[]> {
  const works = items.map((item) => item.entry.work);
  if (owned.length === 0 || works.length === 0) return works;
  const entries = await readObjects(ws.git, [
    ...owned.map((p) => `${tip}:${p}`),
    ...works.flatMap((work) => owned.map((p) => `${work}:${p}`)),
  ]);
  const oid = (i: number) => {
    const entry = entries[i];
    return entry && !entry.missing ? entry.oid : undefined;
  };
  return Promise.all(
    works.map((work, w) => {
      const changes: FileChange[] = [];
      owned.forEach((p, i) => {
        if (oid(i) === oid(owned.length * (w + 1) + i)) return;
        const text = entryText(entries[i]);
        changes.push(
          text === undefined
            ? { path: p, remove: true }
            : { path: p, content: text },
        );
      });
      return changes.length === 0
        ? work
        : buildCommit(ws.git, {
            base: work,
            parents: [work],
            changes,
            message: "gitswarm: the lander's files follow main\n",
          });
    }),
  );
}

/** The done-commit message of queued work whose task is titled `title` (the lander's and an approval's). */
export function entryDoneMessage(
  entry: QueuedWork["entry"],
  title: string,
): string {
  return renderCommitMessage({
    action: "done",
    subject: `done: ${entry.task} — ${title}`,
    body: entry.summary,
    task: entry.task,
    agent: entry.agent,
    claimId: entry.claimId,
  });
}
