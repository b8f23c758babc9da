/**
 * Commit classification, a pure function. gitswarm's own trailers decide first; a commit without
 * them is judged by what it touched (the lock folder, PROGRESS.md, anything else), and its subject
 * only breaks ties the files leave open.
 */
import { trailerValue } from "../../coordination/git/trailers.js";
import { coAuthors, hasSwarmTrailers } from "./history/trailers.js";
import {
  COORDINATION_CLASSES,
  type ClassifiedCommit,
  type CommitClass,
  type CommitRecord,
  type FileChange,
  type LockEvent,
} from "./types.js";

/** What the classifier needs to know about the whole history. */
export interface ClassifyContext {
  /** The lock folder, without a trailing slash (`locks`, `current_tasks`). */
  locksDir: string;
  /** The history is gitswarm's own: an untrailed content commit there is a human's edit. */
  native: boolean;
}

const ACTIONS: Record<string, CommitClass> = {
  claim: "claim",
  release: "release",
  done: "done",
  break: "break",
  block: "block",
  progress: "progress",
  heartbeat: "heartbeat",
  coalesce: "coalesce",
  archive: "archive",
  init: "init",
  // Queuing work keeps the claim alive on its task ref, as a heartbeat does.
  enqueue: "heartbeat",
};

const STALE_SUBJECT =
  /\b(stale|break|broke|expired?|abandon(ed)?|orphan(ed)?|dead|clean(ing)?[ -]?up|unstick)\b/i;

/** Classifies one commit; never throws. */
export function classifyCommit(
  commit: CommitRecord,
  context: ClassifyContext,
): ClassifiedCommit {
  const { trailers } = commit;
  const lockFiles = commit.files.filter((f) =>
    isLockPath(f.path, context.locksDir),
  );
  const progressFiles = commit.files.filter((f) => isProgressPath(f.path));
  const lines = sumLines(commit.files);
  const swarm = hasSwarmTrailers(trailers);
  const action = trailerValue(trailers, "Swarm-Action")?.toLowerCase();
  let cls: CommitClass;
  let source: ClassifiedCommit["source"] = "trailer";
  if (action !== undefined) cls = ACTIONS[action] ?? "work";
  else if (swarm) cls = "work";
  else
    ({ cls, source } = classifyByFiles(
      commit,
      lockFiles,
      progressFiles.length,
      context,
    ));
  const events = swarm ? [] : lockEvents(lockFiles, context.locksDir);
  const task =
    trailerValue(trailers, "Swarm-Task") ??
    (events.length === 1 ? events[0]?.task : undefined);
  const coordinationLines = COORDINATION_CLASSES.has(cls)
    ? lines
    : sumLines(lockFiles) + sumLines(progressFiles);
  return {
    hash: commit.hash,
    time: commit.time,
    agent:
      trailerValue(trailers, "Swarm-Agent") ??
      coAuthors(trailers)[0] ??
      commit.authorName,
    class: cls,
    source,
    task,
    claimId: trailerValue(trailers, "Swarm-Claim"),
    forced: trailerValue(trailers, "Swarm-Forced")?.toLowerCase() === "true",
    lines,
    coordinationLines,
    lockEvents: events,
  };
}

function classifyByFiles(
  commit: CommitRecord,
  lockFiles: FileChange[],
  progressCount: number,
  context: ClassifyContext,
): { cls: CommitClass; source: ClassifiedCommit["source"] } {
  if (commit.parentCount > 1) return { cls: "merge", source: "files" };
  const otherCount = commit.files.length - lockFiles.length - progressCount;
  const creates = lockFiles.filter((f) => f.status === "A").length;
  const deletes = lockFiles.filter((f) => f.status === "D").length;
  if (commit.files.length === 0)
    return {
      cls: classifyBySubject(commit.subject, context),
      source: "subject",
    };
  if (otherCount === 0 && lockFiles.length === 0)
    return { cls: context.native ? "human" : "progress", source: "files" };
  if (otherCount === 0) {
    if (deletes > 0 && creates === 0) {
      return STALE_SUBJECT.test(commit.subject)
        ? { cls: "break", source: "subject" }
        : { cls: "release", source: "files" };
    }
    return { cls: creates > 0 ? "claim" : "heartbeat", source: "files" };
  }
  // A release folded into a feature commit is a "done": the work and the lock removal together.
  if (deletes > 0) return { cls: "done", source: "files" };
  if (/^coalesce\b|coalescer/i.test(commit.subject))
    return { cls: "coalesce", source: "subject" };
  return { cls: context.native ? "human" : "work", source: "files" };
}

/** A commit that touched no files (`--allow-empty`): only its subject can tell. */
function classifyBySubject(
  subject: string,
  context: ClassifyContext,
): CommitClass {
  if (/heartbeat/i.test(subject)) return "heartbeat";
  if (/^(claim|lock)\b/i.test(subject)) return "claim";
  if (/^(release|unlock)\b/i.test(subject)) return "release";
  return context.native ? "human" : "work";
}

/** The lock events of a commit: each lock file created, deleted or edited, named by its task. */
export function lockEvents(
  lockFiles: readonly FileChange[],
  locksDir: string,
): LockEvent[] {
  return lockFiles.map((f) => ({
    kind: f.status === "A" ? "create" : f.status === "D" ? "delete" : "modify",
    task: taskFromLockPath(f.path, locksDir),
  }));
}

/** `locks/lexer.md` → `lexer`; `current_tasks/fix parser.txt` → `fix parser`. */
export function taskFromLockPath(path: string, locksDir: string): string {
  const rest = path.slice(locksDir.length + 1);
  return rest.replace(/\.[A-Za-z0-9]{1,8}$/, "");
}

/** True for a file directly or deeper inside the lock folder (a `.gitkeep` does not count). */
export function isLockPath(path: string, locksDir: string): boolean {
  return (
    path.startsWith(`${locksDir}/`) && !/(^|\/)\.git(keep|ignore)$/.test(path)
  );
}

/** True for PROGRESS.md at any depth, any case: the shared state file of these swarms. */
export function isProgressPath(path: string): boolean {
  return /(^|\/)progress\.md$/i.test(path);
}

function sumLines(files: readonly FileChange[]): number {
  let total = 0;
  for (const f of files) total += f.added + f.deleted;
  return total;
}
