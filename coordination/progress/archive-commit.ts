/**
 * `gitswarm archive` as a library call: reads PROGRESS.md and its archive from a clone's working
 * tree, moves done tasks, and commits both files as one `Swarm-Action: archive` commit.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../base/errors.js";
import { readFileSettled, writeFileAtomic } from "../base/atomic-file.js";
import { Git, type GitIdentity } from "../git/git.js";
import { ARCHIVE_FILE, archiveDoneTasks, readArchivedIds } from "./archive.js";
import { readProgress } from "./validate.js";
import { renderCommitMessage } from "../git/trailers.js";

/** Options of `archiveProgress`. */
export interface ArchiveProgressOptions {
  /** Done tasks to leave in PROGRESS.md (the last ones in document order). */
  keep?: number;
  /** Who commits; default: the clone's git config, else `gitswarm <gitswarm@localhost>`. */
  identity?: GitIdentity;
  /** Dates the batch heading in the archive (default: now). */
  now?: Date;
}

/** The ids moved and the archive commit (absent when there was nothing to archive). */
export interface ArchiveProgressResult {
  ids: string[];
  commit?: string;
}

const PROGRESS_FILE = "PROGRESS.md";
const FALLBACK_IDENTITY: GitIdentity = {
  name: "gitswarm",
  email: "gitswarm@localhost",
};

/**
 * Archives done tasks in the clone at `repoDir` and commits. Throws UserError when PROGRESS.md is
 * missing or invalid (every bad line listed), or when either file has uncommitted edits (they
 * would otherwise land in the archive commit); SwarmError when git fails.
 */
export async function archiveProgress(
  repoDir: string,
  options: ArchiveProgressOptions = {},
): Promise<ArchiveProgressResult> {
  const progressPath = path.join(repoDir, PROGRESS_FILE);
  const archivePath = path.join(repoDir, ARCHIVE_FILE);
  const source = await readFileSettled(progressPath).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      throw new UserError(
        "no-progress",
        `no ${PROGRESS_FILE} in ${repoDir}: run 'gitswarm init' there first.`,
      );
    },
  );
  const archiveText = await readFile(archivePath, "utf8").catch(() => "");
  readProgress(source, progressPath, readArchivedIds(archiveText));

  const git = new Git(repoDir);
  const dirty = await git.run([
    "status",
    "--porcelain",
    "--",
    PROGRESS_FILE,
    ARCHIVE_FILE,
  ]);
  if (dirty.trim() !== "") {
    throw new UserError(
      "dirty-progress",
      `${PROGRESS_FILE} or ${ARCHIVE_FILE} in ${repoDir} has uncommitted changes:\n${dirty.trimEnd()}\nCommit or discard them, then run 'gitswarm archive' again.`,
    );
  }
  const day = (options.now ?? new Date()).toISOString().slice(0, 10);
  const result = archiveDoneTasks(source, archiveText, {
    keep: options.keep,
    heading: `Archived ${day}`,
  });
  if (result.ids.length === 0) return { ids: [] };

  // The archive first: a crash between the two renames leaves tasks in both files, never in neither.
  const changed = () =>
    new UserError(
      "progress-changed",
      `${PROGRESS_FILE} or ${ARCHIVE_FILE} in ${repoDir} changed while archiving; run 'gitswarm archive' again`,
    );
  const archived = await writeFileAtomic(archivePath, result.archived, {
    expect: archiveText,
  });
  if (!archived.written) throw changed();
  const written = await writeFileAtomic(progressPath, result.progress, {
    expect: source,
  });
  if (!written.written) {
    await writeFileAtomic(archivePath, archiveText);
    throw changed();
  }

  const committer = git.as(
    options.identity ?? (await configuredIdentity(git)) ?? FALLBACK_IDENTITY,
  );
  const message = renderCommitMessage({
    action: "archive",
    subject: `archive: ${result.ids.length} done task${result.ids.length === 1 ? "" : "s"}`,
    body: `Moved to ${ARCHIVE_FILE}: ${result.ids.join(", ")}`,
  });
  await committer.run(["add", "--", PROGRESS_FILE, ARCHIVE_FILE]);
  await committer.run(
    ["commit", "-q", "-F", "-", "--", PROGRESS_FILE, ARCHIVE_FILE],
    { input: message },
  );
  const commit = (await git.run(["rev-parse", "HEAD"])).trim();
  return { ids: result.ids, commit };
}

/** The clone's own `user.name`/`user.email`, when both are set. */
async function configuredIdentity(git: Git): Promise<GitIdentity | undefined> {
  const name = (await git.tryRun(["config", "user.name"])).stdout.trim();
  const email = (await git.tryRun(["config", "user.email"])).stdout.trim();
  return name && email ? { name, email } : undefined;
}
