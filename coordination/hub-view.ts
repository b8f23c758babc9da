/**
 * What a clone knows of the hub's main branch: its tip, PROGRESS.md (and the archive of done
 * tasks) and lock files, read from the remote-tracking ref in as few git processes as possible.
 */
import { entryText, readObjects } from "./cat-file.js";
import { LOCKS_DIR, lockPath, parseLock, type Lock } from "./lock-file.js";
import { ARCHIVE_FILE, readArchivedIds } from "./progress-archive.js";
import { parseProgress, type ProgressDoc } from "./progress-parse.js";
import { trackingRef, type Workspace } from "./workspace.js";

export const PROGRESS_FILE = "PROGRESS.md";

/** A lock file as found on the hub: parsed, or broken with the reason. */
export type LockEntry =
  | { ok: true; file: string; lock: Lock }
  | { ok: false; file: string; line?: number; problem: string };

/** The hub's main as seen through the clone. `tip` is undefined before the first fetch. */
export interface HubView {
  tip: string | undefined;
  progress: ProgressDoc | undefined;
  /** Ids of done tasks moved to PROGRESS-archive.md: they count as done. */
  archivedIds: string[];
  locks: LockEntry[];
}

/** Reads the tip, PROGRESS.md, the archive and the lock of one task (the claim path: one spawn). */
export async function readTaskView(
  ws: Workspace,
  taskId: string,
): Promise<HubView> {
  return readView(ws, [lockPath(taskId)]);
}

/** Reads the tip, PROGRESS.md and the archive, no locks (edits of PROGRESS.md alone). */
export async function readMainView(ws: Workspace): Promise<HubView> {
  return readView(ws, []);
}

/** Reads the tip, PROGRESS.md, the archive and every lock file (status, locks, scheduling). */
export async function readHubView(ws: Workspace): Promise<HubView> {
  const ref = trackingRef(ws);
  const listing = await ws.git.tryRun([
    "ls-tree",
    "-z",
    "--name-only",
    `${ref}:${LOCKS_DIR}`,
  ]);
  const names = listing.ok
    ? listing.stdout.split("\0").filter((name) => name.endsWith(".md"))
    : [];
  return readView(
    ws,
    names.map((name) => `${LOCKS_DIR}/${name}`),
  );
}

async function readView(ws: Workspace, lockFiles: string[]): Promise<HubView> {
  const ref = trackingRef(ws);
  const names = [
    `${ref}^{commit}`,
    `${ref}:${PROGRESS_FILE}`,
    `${ref}:${ARCHIVE_FILE}`,
    ...lockFiles.map((f) => `${ref}:${f}`),
  ];
  const [tip, progress, archive, ...locks] = await readObjects(ws.git, names);
  if (tip === undefined || tip.missing)
    return { tip: undefined, progress: undefined, archivedIds: [], locks: [] };
  const progressText = entryText(progress);
  const archiveText = entryText(archive);
  return {
    tip: tip.oid,
    progress:
      progressText === undefined
        ? undefined
        : parseProgress(progressText, PROGRESS_FILE),
    archivedIds: archiveText === undefined ? [] : readArchivedIds(archiveText),
    locks: locks.flatMap((entry, i) => {
      const text = entryText(entry);
      const file = lockFiles[i] ?? "";
      return text === undefined ? [] : [toLockEntry(file, text)];
    }),
  };
}

/** Parses one lock file and checks it is filed under its own task id. */
export function toLockEntry(file: string, text: string): LockEntry {
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
  return { ok: true, file, lock: parsed.lock };
}
