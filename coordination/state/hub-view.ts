/**
 * What a clone knows of the hub: main's tip, PROGRESS.md (and the archive of done tasks) read from
 * the remote-tracking ref, and every task's state (a lock or a terminal marker) read from its
 * mirrored task ref — in as few git processes as possible: one `cat-file --batch-check` of the task
 * refs' sizes, then one `cat-file --batch` (coordination/state/task-ref-objects.ts).
 */
import { entryText } from "../git/cat-file.js";
import { checkLockTimes } from "./lease.js";
import {
  LOCKS_DIR,
  lineOfKey,
  lockPath,
  parseLock,
  type Lock,
} from "./lock-file.js";
import { ARCHIVE_FILE, readArchivedIds } from "../progress/archive.js";
import { parseProgress, type ProgressDoc } from "../progress/parse.js";
import { markerPath, parseMarker, type TaskMarker } from "./task-marker.js";
import { parseQueueEntry, type QueueEntry } from "./queue-entry.js";
import { readTaskRefObjects, type TaskRefObjects } from "./task-ref-objects.js";
import {
  hubTaskRef,
  trackingTaskPrefix,
  trackingTaskRef,
} from "../git/task-refs.js";
import { trackingRef, type Workspace } from "../git/workspace.js";
import { isSystemTaskId } from "../progress/task.js";

export const PROGRESS_FILE = "PROGRESS.md";

/**
 * A lock as found on a task ref: parsed, or broken with the reason. `breakable` marks a broken
 * lock that `locks break` may remove without --force (impossible lease times).
 */
export type LockEntry =
  | { ok: true; file: string; lock: Lock }
  | {
      ok: false;
      file: string;
      line?: number;
      problem: string;
      breakable?: boolean;
    };

/** One task ref as mirrored in the clone: its commit and what that commit holds. */
export interface TaskRefState {
  taskId: string;
  /** The ref's commit: the parent of the next state. */
  commit: string;
  /** Set while the task is held (or when the ref's commit holds something unreadable). */
  lock?: LockEntry;
  /** Set when the last claim ended. */
  marker?: TaskMarker;
  /** Set while the held claim's work waits in the merge queue (the claim is alive by that fact). */
  queued?: QueueEntry;
  /**
   * For a done or blocked marker that PROGRESS.md does not (yet) show: whether main as read
   * contains the marker's main commit. False means this read of main is older than the marker.
   */
  markerInMain?: boolean;
}

/** The hub as seen through the clone. `tip` is undefined before the first fetch. */
export interface HubView {
  tip: string | undefined;
  progress: ProgressDoc | undefined;
  /** Ids of done tasks moved to PROGRESS-archive.md: they count as done. */
  archivedIds: string[];
  /** Live locks (and unreadable task-ref states), one per held task. */
  locks: LockEntry[];
  /** Every task ref read (absent in views built by hand). */
  taskRefs?: TaskRefState[];
  /** Lock files still on main: a hub of the previous layout (`gitswarm locks migrate`). */
  legacyLocks?: string[];
}

/** Reads main's tip, PROGRESS.md, the archive and one task's ref state (the claim path). */
export async function readTaskView(
  ws: Workspace,
  taskId: string,
  now: Date = new Date(),
): Promise<HubView & { taskRef?: TaskRefState }> {
  const view = await readView(ws, [taskId], now);
  return { ...view, taskRef: view.taskRefs?.[0] };
}

/** Reads main's tip, PROGRESS.md and the archive, no task refs (edits of PROGRESS.md alone). */
export async function readMainView(ws: Workspace): Promise<HubView> {
  return readView(ws, [], new Date());
}

/** Reads main and every mirrored task ref (status, locks, scheduling, the sweeper). */
export async function readHubView(
  ws: Workspace,
  now: Date = new Date(),
): Promise<HubView> {
  const prefix = trackingTaskPrefix(ws);
  const [refs, legacy] = await Promise.all([
    ws.git.run(["for-each-ref", "--format=%(refname)", prefix]),
    ws.git.tryRun([
      "ls-tree",
      "-z",
      "--name-only",
      `${trackingRef(ws)}:${LOCKS_DIR}`,
    ]),
  ]);
  const ids = refs
    .split("\n")
    .filter((r) => r.startsWith(prefix))
    .map((r) => r.slice(prefix.length));
  const view = await readView(ws, ids, now);
  const legacyLocks = legacy.ok
    ? legacy.stdout
        .split("\0")
        .filter((n) => n.endsWith(".md"))
        .map((n) => `${LOCKS_DIR}/${n}`)
    : [];
  return { ...view, legacyLocks };
}

async function readView(
  ws: Workspace,
  taskIds: readonly string[],
  now: Date,
): Promise<HubView> {
  const main = trackingRef(ws);
  const read = await readTaskRefObjects(
    ws.git,
    taskIds.map((taskId) => ({ taskId, ref: trackingTaskRef(ws, taskId) })),
    [`${main}^{commit}`, `${main}:${PROGRESS_FILE}`, `${main}:${ARCHIVE_FILE}`],
  );
  const [tip, progress, archive] = read.also;
  const progressText = entryText(progress);
  const archiveText = entryText(archive);
  const doc =
    progressText === undefined
      ? undefined
      : parseProgress(progressText, PROGRESS_FILE);
  const archivedIds =
    archiveText === undefined ? [] : readArchivedIds(archiveText);
  const taskRefs = read.refs.flatMap((objects) => {
    const state = toTaskRefState(objects, now);
    return state === undefined ? [] : [state];
  });
  const mainTip = tip === undefined || tip.missing ? undefined : tip.oid;
  for (const state of taskRefs) {
    const marker = state.marker;
    if (marker?.main === undefined || mainTip === undefined) continue;
    if (!disagrees(marker, doc, archivedIds)) continue;
    state.markerInMain = (
      await ws.git.tryRun(["merge-base", "--is-ancestor", marker.main, mainTip])
    ).ok;
  }
  return {
    tip: mainTip,
    progress: doc,
    archivedIds,
    locks: taskRefs.flatMap((s) => (s.lock ? [s.lock] : [])),
    taskRefs,
  };
}

/** A done/blocked marker whose state PROGRESS.md on main does not show. */
function disagrees(
  marker: TaskMarker,
  progress: ProgressDoc | undefined,
  archivedIds: readonly string[],
): boolean {
  if (isSystemTaskId(marker.task)) return false;
  if (marker.state !== "done" && marker.state !== "blocked") return false;
  if (archivedIds.includes(marker.task)) return false;
  const task = progress?.tasks.find((t) => t.id === marker.task);
  return task?.status !== marker.state;
}

function toTaskRefState(
  { taskId, commit, lock, marker, queue }: TaskRefObjects,
  now: Date,
): TaskRefState | undefined {
  if (commit === undefined) return undefined;
  // Too big to read, or a lock commit holding more than its lock: never a lease that expires.
  const refused = [lock, marker, queue].find((f) => f.state === "refused");
  if (refused?.state === "refused")
    return {
      taskId,
      commit,
      lock: {
        ok: false,
        file: refused.file,
        line: 1,
        problem: refused.problem,
      },
    };
  if (lock.state === "text") {
    const entry = toLockEntry(lockPath(taskId), lock.text, now);
    const parsed =
      queue.state === "text" ? parseQueueEntry(queue.text) : undefined;
    // An entry counts only for the claim that holds the lock it sits beside.
    const queued =
      parsed?.ok && entry.ok && parsed.entry.claimId === entry.lock.claimId
        ? parsed.entry
        : undefined;
    return { taskId, commit, lock: entry, ...(queued ? { queued } : {}) };
  }
  const markerText = marker.state === "text" ? marker.text : undefined;
  const file = markerPath(taskId);
  if (markerText === undefined) {
    const problem = `${hubTaskRef(taskId)} holds neither ${lockPath(taskId)} nor ${file}`;
    return {
      taskId,
      commit,
      lock: { ok: false, file: lockPath(taskId), line: 1, problem },
    };
  }
  const parsed = parseMarker(markerText);
  if (!parsed.ok)
    return {
      taskId,
      commit,
      lock: { ok: false, file, line: parsed.line, problem: parsed.problem },
    };
  if (parsed.marker.task !== taskId) {
    const problem = `task: '${parsed.marker.task}' does not match the ref ${hubTaskRef(taskId)}`;
    return {
      taskId,
      commit,
      lock: { ok: false, file, line: 2, problem },
    };
  }
  return { taskId, commit, marker: parsed.marker };
}

/**
 * Parses one lock file and checks it is filed under its own task id and that its times can be
 * true (`checkLockTimes`, when `now` is given).
 */
export function toLockEntry(file: string, text: string, now?: Date): LockEntry {
  const parsed = parseLock(text);
  if (!parsed.ok)
    return { ok: false, file, line: parsed.line, problem: parsed.problem };
  if (lockPath(parsed.lock.task) !== file) {
    return {
      ok: false,
      file,
      line: 2,
      problem: `task: '${parsed.lock.task}' does not match the file name`,
    };
  }
  const times =
    now === undefined ? undefined : checkLockTimes(parsed.lock, now);
  if (times !== undefined)
    return {
      ok: false,
      file,
      line: lineOfKey(text, times.key),
      problem: times.problem,
      breakable: true,
    };
  return { ok: true, file, lock: parsed.lock };
}

/** The task id a lock entry is filed under (`locks/<id>.md` or `tasks/<id>.md`). */
export function entryTaskId(entry: LockEntry): string {
  return entry.file.replace(/^(locks|tasks)\/|\.md$/g, "");
}
