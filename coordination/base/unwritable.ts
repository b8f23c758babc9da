/**
 * A run log that cannot be written (a read-only `.gitswarm/runs`, a full disk, a file where the
 * directory should be): said as what failed, the path, and what to do, never as an internal error
 * with a stack trace (issue 19).
 */
import { UserError } from "./errors.js";

/** The error for a log file or directory at `file` that cannot be written; exit 2 at the CLI. */
export function unwritableLog(file: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === "EROFS"
      ? "the file system is read-only"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "ENOTDIR" || code === "EEXIST"
          ? "a file stands where a directory should be"
          : code === "ENOSPC"
            ? "the disk is full"
            : ((error as Error | undefined)?.message ?? String(error));
  return new UserError(
    "log-unwritable",
    `cannot write the run log ${file}: ${why}${code !== undefined ? ` (${code})` : ""}. ` +
      `Make .gitswarm/runs in the repository writable (or move what is in the way) and run again.`,
    { cause: error },
  );
}
