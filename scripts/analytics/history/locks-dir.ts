/**
 * Which folder holds a history's lock files. gitswarm uses `locks/`; foreign swarms chose their own
 * (`current_tasks/`), so one is recognised by its shape: files that are created and deleted again,
 * mostly in small commits that touch little else.
 */
import type { CommitRecord } from "../types.js";

/** The lock folder analytics used, and how it was chosen. */
export interface LocksDirChoice {
  path: string;
  /** `option`: --locks-dir; `default`: `locks/` appears in the history; `detected`: by shape; `none`: nothing fits. */
  source: "option" | "default" | "detected" | "none";
}

interface FolderStats {
  creates: number;
  deletes: number;
  modifies: number;
  /** Creations and deletions in commits of at most SMALL_COMMIT files. */
  smallEvents: number;
}

const SMALL_COMMIT = 3;
/** Fewer lock cycles than this is not evidence of a lock folder. */
const MIN_CYCLES = 3;

/** Picks the lock folder: the option, else `locks/` when the history has it, else the best by shape. */
export function chooseLocksDir(
  commits: readonly CommitRecord[],
  option?: string,
): LocksDirChoice {
  if (option !== undefined)
    return { path: trimSlashes(option), source: "option" };
  if (commits.some((c) => c.files.some((f) => f.path.startsWith("locks/"))))
    return { path: "locks", source: "default" };
  const detected = detectLocksDir(commits);
  return detected === undefined
    ? { path: "locks", source: "none" }
    : { path: detected, source: "detected" };
}

/**
 * The folder whose files look most like locks, or undefined. A candidate needs MIN_CYCLES deleted
 * files, at least 60 % of its changes must be creations or deletions, creations and deletions must
 * roughly balance (locks come and go), and most of them must happen in small commits.
 */
export function detectLocksDir(
  commits: readonly CommitRecord[],
): string | undefined {
  const stats = new Map<string, FolderStats>();
  for (const commit of commits) {
    const small = commit.files.length <= SMALL_COMMIT;
    for (const file of commit.files) {
      const slash = file.path.lastIndexOf("/");
      if (slash < 0) continue;
      const folder = file.path.slice(0, slash);
      const entry = stats.get(folder) ?? {
        creates: 0,
        deletes: 0,
        modifies: 0,
        smallEvents: 0,
      };
      if (file.status === "A") entry.creates += 1;
      else if (file.status === "D") entry.deletes += 1;
      else entry.modifies += 1;
      if (small && file.status !== "M") entry.smallEvents += 1;
      stats.set(folder, entry);
    }
  }
  let best: { folder: string; score: number } | undefined;
  for (const [folder, s] of stats) {
    const events = s.creates + s.deletes;
    if (s.deletes < MIN_CYCLES) continue;
    if (events < 0.6 * (events + s.modifies)) continue;
    if (s.deletes < 0.5 * s.creates) continue;
    if (s.smallEvents < 0.6 * events) continue;
    const score = s.deletes;
    if (best === undefined || score > best.score) best = { folder, score };
  }
  return best?.folder;
}

function trimSlashes(dir: string): string {
  return dir.replace(/^\.\//, "").replace(/\/+$/, "");
}
