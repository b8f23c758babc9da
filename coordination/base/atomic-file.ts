/**
 * Writing a file a human may have open in an editor (the user's PROGRESS.md) without ever leaving
 * it empty or half-written: the new text goes to a temp file in the same directory, is fsynced,
 * and is renamed over the file, so a reader sees the old bytes or the new ones, never a mix. With
 * `expect`, the file's content hash is compared right before the rename: a human save that landed
 * since the caller read the file is never overwritten. Reads retry while a save is in progress.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  open,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  type FileHandle,
} from "node:fs/promises";
import path from "node:path";

/** Outcome of `writeFileAtomic`: `changed` when the file no longer held the expected text. */
export type AtomicWrite =
  { written: true } | { written: false; reason: "changed" };

/** The content hash compared before a rename (sha256, hex). */
export function contentHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Replaces `file` with `text` atomically (temp file, fsync, rename, fsync of the directory). With
 * `expect` (the text the caller read), writes only if the file still holds exactly that; a missing
 * file counts as `""`. A symlinked file is written through its link. Throws only for I/O errors
 * (the temp file is removed then).
 */
export async function writeFileAtomic(
  file: string,
  text: string,
  options: { expect?: string } = {},
): Promise<AtomicWrite> {
  const target = await realpath(file).catch(() => file);
  const dir = path.dirname(target);
  const temp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  const mode = await stat(target).then(
    (s) => s.mode & 0o7777,
    () => 0o644,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, "wx", mode);
    await handle.writeFile(text, "utf8");
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.expect !== undefined) {
      const current = await readFile(target, "utf8").catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return "";
          throw error;
        },
      );
      if (contentHash(current) !== contentHash(options.expect)) {
        await rm(temp, { force: true });
        return { written: false, reason: "changed" };
      }
    }
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
  return { written: true };
}

// The rename is durable only once the directory entry is; some file systems refuse a directory fsync.
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r").catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close().catch(() => undefined);
}

/**
 * Reads a file a human may be saving right now: retries (up to `tries`, `pauseMs` apart) while its
 * size, inode or mtime changed during the read or its mtime is within `settleMs` of now, so a
 * truncate-then-write save by an editor is not read half-way. After the last try, returns what it
 * read. Throws ENOENT and other I/O errors as they come.
 */
export async function readFileSettled(
  file: string,
  options: { tries?: number; pauseMs?: number; settleMs?: number } = {},
): Promise<string> {
  const tries = options.tries ?? 20;
  const pauseMs = options.pauseMs ?? 50;
  const settleMs = options.settleMs ?? 100;
  let text = "";
  for (let attempt = 1; ; attempt += 1) {
    const before = await stat(file);
    text = await readFile(file, "utf8");
    const after = await stat(file);
    const steady =
      before.ino === after.ino &&
      before.size === after.size &&
      before.mtimeMs === after.mtimeMs &&
      Buffer.byteLength(text, "utf8") === after.size &&
      Date.now() - after.mtimeMs >= settleMs;
    if (steady || attempt >= tries) return text;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
