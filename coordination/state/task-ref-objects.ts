/**
 * Reading task refs that anyone with push access may have filled with garbage: every object's size
 * is checked first (one `cat-file --batch-check` for all refs) and nothing over the limit is read;
 * a lock commit must hold its lock file and nothing else (its queue entry aside). What is wrong is
 * a value the hub view turns into a malformed lock, named with its file.
 */
import {
  checkObjects,
  parseTree,
  readObjects,
  type CatFileEntry,
  type ObjectInfo,
  type TreeEntry,
} from "../git/cat-file.js";
import { decode } from "../base/spawn.js";
import type { Git } from "../git/git.js";
import { LOCKS_DIR, lockPath } from "./lock-file.js";
import { markerPath } from "./task-marker.js";
import { QUEUE_DIR, queuePath } from "./queue-entry.js";

/**
 * The largest file or tree read from a task ref. A lock, marker or queue entry is a few hundred
 * bytes; a garbage ref once held 30 MB, and reading and parsing it whole made `status` take 26 s.
 */
export const MAX_TASK_REF_OBJECT_BYTES = 64 * 1024;

/** One file a task ref may hold: its text, nothing, or why it was not read (line 1 of `file`). */
export type RefFile =
  | { state: "absent" }
  | { state: "text"; text: string }
  | { state: "refused"; file: string; problem: string };

/** What one task ref's commit holds, checked for size and (for a lock commit) shape. */
export interface TaskRefObjects {
  taskId: string;
  /** The ref's commit; undefined when the clone has no such ref. */
  commit: string | undefined;
  lock: RefFile;
  marker: RefFile;
  queue: RefFile;
}

/** Per ref: commit, root tree, locks/ and queue/ trees, then the lock, marker and queue files. */
const SLOTS = 7;

/**
 * Reads `also` (names outside the task refs, read whole, e.g. main's PROGRESS.md) and each task
 * ref's files in two git processes: sizes first, then one `cat-file --batch` of what may be read.
 */
export async function readTaskRefObjects(
  git: Git,
  refs: readonly { taskId: string; ref: string }[],
  also: readonly string[],
): Promise<{ also: CatFileEntry[]; refs: TaskRefObjects[] }> {
  const infos =
    refs.length === 0
      ? []
      : await checkObjects(
          git,
          refs.flatMap(({ taskId, ref }) => [
            `${ref}^{commit}`,
            `${ref}^{tree}`,
            `${ref}:${LOCKS_DIR}`,
            `${ref}:${QUEUE_DIR}`,
            `${ref}:${lockPath(taskId)}`,
            `${ref}:${markerPath(taskId)}`,
            `${ref}:${queuePath(taskId)}`,
          ]),
        );
  const wanted = refs.flatMap((_, i) =>
    namesToRead(infos.slice(SLOTS * i, SLOTS * i + SLOTS)),
  );
  const read = await readObjects(git, [...also, ...wanted]);
  const contents = new Map(
    read
      .slice(also.length)
      .flatMap((e) => (e.missing ? [] : [[e.name, e.content] as const])),
  );
  return {
    also: read.slice(0, also.length),
    refs: refs.map(({ taskId }, i) =>
      assessTaskRef(
        taskId,
        infos.slice(SLOTS * i, SLOTS * i + SLOTS),
        contents,
      ),
    ),
  };
}

/** The objects of one ref worth reading: small ones, and trees only for a lock commit. */
function namesToRead(infos: readonly ObjectInfo[]): string[] {
  const [commit, tree, locks, queues, lock, marker, queue] = infos;
  if (commit === undefined || commit.missing) return [];
  const small = (info: ObjectInfo | undefined) =>
    info !== undefined &&
    !info.missing &&
    info.size <= MAX_TASK_REF_OBJECT_BYTES
      ? [info.name]
      : [];
  if (lock === undefined || lock.missing) return small(marker);
  return [tree, locks, queues, lock, queue].flatMap(small);
}

/**
 * Judges one ref from its object infos and the contents read. Pure. A file or tree over the limit
 * is refused by its size; a lock commit holding anything besides its lock (and queue entry) is
 * refused by what else it holds.
 */
export function assessTaskRef(
  taskId: string,
  infos: readonly ObjectInfo[],
  contents: ReadonlyMap<string, Uint8Array>,
): TaskRefObjects {
  const [commit, tree, locks, queues, lock, marker, queue] = infos;
  const absent: RefFile = { state: "absent" };
  if (commit === undefined || commit.missing)
    return {
      taskId,
      commit: undefined,
      lock: absent,
      marker: absent,
      queue: absent,
    };
  const file = (info: ObjectInfo | undefined, path: string): RefFile => {
    if (info === undefined || info.missing) return absent;
    if (info.type !== "blob")
      return {
        state: "refused",
        file: path,
        problem: `${path} is a ${info.type}, not a file`,
      };
    if (info.size > MAX_TASK_REF_OBJECT_BYTES)
      return { state: "refused", file: path, problem: tooBig(path, info.size) };
    const content = contents.get(info.name);
    return content === undefined
      ? absent
      : { state: "text", text: decode(content) };
  };
  const result: TaskRefObjects = {
    taskId,
    commit: commit.oid,
    lock: file(lock, lockPath(taskId)),
    marker: absent,
    queue: absent,
  };
  if (result.lock.state === "absent")
    return { ...result, marker: file(marker, markerPath(taskId)) };
  if (result.lock.state === "refused") return result;
  const extra = extraFiles(taskId, [tree, locks, queues], contents);
  const problem =
    typeof extra === "string"
      ? extra
      : extra.length > 0
        ? `a lock commit holds exactly one file, ${lockPath(taskId)}; this one also holds ${extra.join(", ")}`
        : undefined;
  if (problem !== undefined)
    return {
      ...result,
      lock: { state: "refused", file: lockPath(taskId), problem },
    };
  return { ...result, queue: file(queue, queuePath(taskId)) };
}

/**
 * What a lock commit's tree holds besides `locks/<id>.md` and `queue/<id>.md` (paths; a folder
 * ends in `/`), or the problem when one of its trees is too big to read.
 */
function extraFiles(
  taskId: string,
  [tree, locks, queues]: readonly (ObjectInfo | undefined)[],
  contents: ReadonlyMap<string, Uint8Array>,
): string[] | string {
  const own = `${taskId}.md`;
  const lists = [
    {
      info: tree,
      prefix: "",
      allowed: (e: TreeEntry) =>
        isDir(e) && (e.name === LOCKS_DIR || e.name === QUEUE_DIR),
    },
    {
      info: locks,
      prefix: `${LOCKS_DIR}/`,
      allowed: (e: TreeEntry) => e.name === own && !isDir(e),
    },
    {
      info: queues,
      prefix: `${QUEUE_DIR}/`,
      allowed: (e: TreeEntry) => e.name === own && !isDir(e),
    },
  ];
  const extra: string[] = [];
  for (const { info, prefix, allowed } of lists) {
    if (info === undefined || info.missing || info.type !== "tree") continue;
    if (info.size > MAX_TASK_REF_OBJECT_BYTES)
      return tooBig(
        prefix === "" ? "the lock commit's tree" : prefix,
        info.size,
      );
    const content = contents.get(info.name);
    const entries =
      content === undefined ? [] : parseTree(content, info.oid.length / 2);
    for (const entry of entries)
      if (!allowed(entry))
        extra.push(`${prefix}${entry.name}${isDir(entry) ? "/" : ""}`);
  }
  return extra;
}

function isDir(entry: TreeEntry): boolean {
  return entry.mode === "40000";
}

function tooBig(what: string, size: number): string {
  return `${what} is ${size} bytes, over the ${MAX_TASK_REF_OBJECT_BYTES}-byte limit for a task ref (not read); repair or remove the ref`;
}
