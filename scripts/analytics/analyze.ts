/**
 * `analyzeRepository`: checks the repository, streams one `git log` over it and builds the report.
 * The git edge of analytics; everything after the stream is pure (build-report.ts).
 */
import { stat } from "node:fs/promises";
import { Git } from "../../coordination/git/git.js";
import { SwarmError, UserError } from "../../coordination/base/errors.js";
import { buildReport } from "./build-report.js";
import { foldCosts } from "./costs.js";
import { foldQueue } from "./queue.js";
import type { SwarmEvent } from "../../coordination/base/events.js";
import { readEventLogs } from "./history/events-log.js";
import { LogParser, logArgs } from "./history/log-parser.js";
import type { AnalyticsReport } from "./report.js";
import type { Bucket } from "./stats.js";
import {
  HUB_PREFIX,
  MIRRORS_GLOB,
  findTaskRefSource,
  mergeNewestFirst,
} from "./history/task-ref-source.js";
import type { CommitRecord } from "./types.js";

/** What to analyse. `ref` defaults to HEAD; `all` takes every ref (work branches included). */
export interface AnalyzeOptions {
  repoDir: string;
  ref?: string;
  all?: boolean;
  locksDir?: string;
  bucket?: Bucket | "auto";
  /** Only the newest N commits of the branch: a cheap live view; task refs are then not read. */
  maxCommits?: number;
  /** Where task refs live; default: the hub's `refs/swarm/tasks/`, a clone's mirror, the embedded hub. */
  taskRefPrefix?: string;
  /** The runner's event logs (`events.jsonl`) to read spend from; none: no cost section. */
  eventLogs?: readonly string[];
  signal?: AbortSignal;
}

/**
 * Analyses a repository's history in one streaming `git log` pass. Throws UserError (exit 2) for a
 * path that is not a repository, an empty or shallow repository, an unknown ref, or a history git
 * cannot read (missing or corrupt objects) or an event log it cannot read; SwarmError('aborted')
 * when the signal fires.
 */
export async function analyzeRepository(
  options: AnalyzeOptions,
): Promise<AnalyticsReport> {
  const git = new Git(options.repoDir);
  await checkRepository(git, options);
  // Notes and the stash are refs too, but their commits are no one's work; task refs are read apart.
  const revisions = options.all
    ? [
        "--exclude=refs/notes/*",
        "--exclude=refs/stash",
        `--exclude=${HUB_PREFIX}*`,
        `--exclude=${MIRRORS_GLOB}`,
        ...(options.taskRefPrefix
          ? [`--exclude=${options.taskRefPrefix}*`]
          : []),
        "--all",
      ]
    : [options.ref ?? "HEAD"];
  const limit =
    options.maxCommits === undefined
      ? []
      : [`--max-count=${Math.max(1, Math.floor(options.maxCommits))}`];
  const taskRefs =
    options.maxCommits === undefined
      ? await findTaskRefSource(git, options.ref, options.taskRefPrefix)
      : undefined;
  const glob = taskRefs === undefined ? [] : [`--glob=${taskRefs.prefix}*`];
  // One pass over the branch and the task refs when they are here; `%S` tells them apart.
  const commits = await readCommits(
    git,
    [...limit, ...revisions, ...(taskRefs?.git === git ? glob : [])],
    options.signal,
  );
  const all =
    taskRefs === undefined || taskRefs.git === git
      ? commits
      : mergeNewestFirst(
          commits,
          await readCommits(taskRefs.git, glob, options.signal),
        );
  return buildReport(all, {
    repo: options.repoDir,
    revisions: options.all
      ? ["--all", ...limit].join(" ")
      : [...revisions, ...limit].join(" "),
    locksDir: options.locksDir,
    bucket: options.bucket,
    taskRefPrefix: taskRefs?.prefix,
    taskRefsRepo: taskRefs?.git.dir,
    ...(await eventFigures(options.eventLogs)),
  });
}

/** Costs and merge-queue figures from the runner's event logs, read once. */
async function eventFigures(files: readonly string[] | undefined) {
  if (!files?.length) return {};
  const logs = await readEventLogs(files);
  const queue = foldQueue(logs.flatMap((log) => log.events as SwarmEvent[]));
  return { costs: foldCosts(logs), ...(queue ? { queue } : {}) };
}

async function checkRepository(
  git: Git,
  options: AnalyzeOptions,
): Promise<void> {
  const dir = options.repoDir;
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new UserError(
      "not-a-repo",
      `${dir} does not exist or is not a directory; pass --repo with a git repository`,
    );
  const inside = await git.tryRun(["rev-parse", "--git-dir"]);
  if (!inside.ok) {
    throw new UserError(
      "not-a-repo",
      `${dir} is not a git repository (${firstLine(inside.stderr)}); pass --repo with one`,
    );
  }
  const shallow = await git.tryRun(["rev-parse", "--is-shallow-repository"]);
  if (shallow.stdout.trim() === "true") {
    throw new UserError(
      "shallow-repo",
      `${dir} is a shallow clone: its history is cut off, so the figures would be wrong; run 'git fetch --unshallow' there first`,
    );
  }
  const refs = await git.tryRun([
    "for-each-ref",
    "--count=1",
    "--format=%(refname)",
  ]);
  const head = await git.tryRun([
    "rev-parse",
    "--verify",
    "--quiet",
    "HEAD^{commit}",
  ]);
  if (!head.ok && refs.stdout.trim() === "")
    throw new UserError(
      "empty-repo",
      `${dir} has no commits yet: nothing to analyse`,
    );
  if (!options.all) {
    const ref = options.ref ?? "HEAD";
    const found = await git.tryRun([
      "rev-parse",
      "--verify",
      "--quiet",
      `${ref}^{commit}`,
    ]);
    if (!found.ok)
      throw new UserError(
        "bad-ref",
        `'${ref}' is not a commit in ${dir}; pass --ref with a branch or commit, or --all`,
      );
  }
}

async function readCommits(
  git: Git,
  revisions: string[],
  signal: AbortSignal | undefined,
): Promise<CommitRecord[]> {
  const commits: CommitRecord[] = [];
  const parser = new LogParser((c) => commits.push(c));
  const { lines, done } = git.stream(logArgs(revisions), { signal });
  let parseError: unknown;
  try {
    for await (const line of lines) parser.push(line);
    parser.end();
  } catch (error) {
    // A failing git may end its output mid-record; its own message says more than ours.
    parseError = error;
  }
  const result = await done;
  if (result.aborted)
    throw new SwarmError("aborted", "analytics stopped: interrupted");
  if (result.exitCode !== 0) {
    const why =
      firstLine(new TextDecoder().decode(result.stderr)) ||
      `exit code ${result.exitCode}`;
    throw new UserError(
      "malformed-repo",
      `git log cannot read the history of ${git.dir}: ${why}. Check it with 'git fsck'`,
    );
  }
  if (parseError !== undefined) {
    throw new SwarmError(
      "log-parse",
      `could not parse git log output in ${git.dir}: ${(parseError as Error).message}`,
      { cause: parseError },
    );
  }
  return commits;
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
