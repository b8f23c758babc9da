/**
 * The data analytics works on: one parsed `git log` record per commit, and how a commit is
 * classified. The report schema lives in report.ts.
 */
import type { Trailer } from "../../coordination/git/trailers.js";

export type { Trailer };

/** One file a commit changed, from `--numstat` (lines) and `--summary` (created or deleted). */
export interface FileChange {
  path: string;
  added: number;
  deleted: number;
  /** `-\t-` in numstat: git counts no lines for it. */
  binary: boolean;
  /** A = created, D = deleted, M = anything else. */
  status: "A" | "D" | "M";
}

/** What one commit looks like to analytics; the message itself is not kept (memory). */
export interface CommitRecord {
  hash: string;
  parentCount: number;
  authorName: string;
  authorEmail: string;
  /** Committer time, Unix seconds. */
  time: number;
  subject: string;
  trailers: Trailer[];
  files: FileChange[];
  /** The ref through which `git log` reached the commit (`%S`), when the log read several. */
  ref?: string;
}

/** Every class a commit can have, in the order tables list them. */
export const COMMIT_CLASSES = [
  "claim",
  "release",
  "done",
  "break",
  "block",
  "progress",
  "heartbeat",
  "coalesce",
  "archive",
  "init",
  "work",
  "merge",
  "human",
] as const;
export type CommitClass = (typeof COMMIT_CLASSES)[number];

/**
 * Coordination: commits that only move the swarm's shared state (locks, PROGRESS.md). `done` is not
 * here: it carries the work; only its lock and PROGRESS.md lines count as coordination lines.
 */
export const COORDINATION_CLASSES: ReadonlySet<CommitClass> =
  new Set<CommitClass>([
    "claim",
    "release",
    "break",
    "block",
    "progress",
    "heartbeat",
    "archive",
  ]);

/** Substantive: commits that change the product (the "substantive commit rate"). */
export const SUBSTANTIVE_CLASSES: ReadonlySet<CommitClass> =
  new Set<CommitClass>(["done", "work", "coalesce", "human"]);

/** Where a classification came from, strongest first. */
export type ClassSource = "trailer" | "files" | "subject";

/** A lock file appearing, disappearing or changing, named by its task. */
export interface LockEvent {
  kind: "create" | "delete" | "modify";
  task: string;
}

/** A commit after classification: everything the figures need, nothing more. */
export interface ClassifiedCommit {
  hash: string;
  time: number;
  agent: string;
  class: CommitClass;
  source: ClassSource;
  /** The task the commit names (Swarm-Task) or whose lock it touched, if exactly one. */
  task?: string;
  claimId?: string;
  /** A break made with `Swarm-Forced: true`. */
  forced: boolean;
  lines: number;
  /** Changed lines that are coordination (see COORDINATION_CLASSES and locks/PROGRESS.md paths). */
  coordinationLines: number;
  /** Lock files touched; empty for trailer-classified commits, whose trailers say it better. */
  lockEvents: LockEvent[];
  /** The commit is on a task ref (`refs/swarm/tasks/<id>`), not on the analysed branch. */
  onTaskRef?: boolean;
}
