/**
 * Builds commits with plumbing, never touching the clone's working tree or index: a claim is a
 * commit on its task ref, a done-commit one on main, made while the agent's checkout sits on its
 * own work branch.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Git } from "./git.js";

/** One file written or removed by a commit. */
export type FileChange =
  { path: string; content: string } | { path: string; remove: true };

export interface CommitSpec {
  /** The tree to start from (a commit or tree id). */
  base: string;
  parents: string[];
  changes: readonly FileChange[];
  message: string;
  /**
   * `base` is a tree id (as `git merge-tree --write-tree` prints it), not a commit: the commit is
   * then written by one fast-import process that takes that tree as its root, not through an index.
   */
  baseTree?: boolean;
}

const ZERO_OID = "0000000000000000000000000000000000000000";

/**
 * Creates the commit (objects only; no ref moves) and returns its id. When the commit starts from
 * its first parent's tree (claims, releases, breaks: the hot path), one `git fast-import` process
 * writes blob, trees and commit — five spawns fewer than building through an index.
 */
export async function buildCommit(git: Git, spec: CommitSpec): Promise<string> {
  if (
    git.identity !== undefined &&
    spec.parents.length > 0 &&
    (spec.base === spec.parents[0] || spec.baseTree === true)
  )
    return fastImportCommit(git, spec);
  const tree = await buildTree(git, spec.base, spec.changes);
  const parents = spec.parents.flatMap((parent) => ["-p", parent]);
  return (
    await git.run(["commit-tree", tree, ...parents, "-F", "-"], {
      input: spec.message,
    })
  ).trim();
}

/** Writes `base` with `changes` applied as a tree object and returns its id. */
export async function buildTree(
  git: Git,
  base: string,
  changes: readonly FileChange[],
): Promise<string> {
  // A private index per call: concurrent builds in one clone, and the user's own index, stay apart.
  const index = path.join(
    await gitDir(git),
    `gitswarm-index-${randomBytes(6).toString("hex")}`,
  );
  const env = { GIT_INDEX_FILE: index };
  try {
    await git.run(["read-tree", `${base}^{tree}`], { env });
    const entries: string[] = [];
    for (const change of changes) {
      if ("remove" in change) entries.push(`0 ${ZERO_OID}\t${change.path}`);
      else
        entries.push(
          `100644 ${await writeBlob(git, change.content)}\t${change.path}`,
        );
    }
    if (entries.length > 0)
      await git.run(["update-index", "--index-info"], {
        env,
        input: `${entries.join("\n")}\n`,
      });
    return (await git.run(["write-tree"], { env })).trim();
  } finally {
    await rm(index, { force: true });
  }
}

/** Stores a blob and returns its id. */
export async function writeBlob(git: Git, content: string): Promise<string> {
  return (
    await git.run(["hash-object", "-w", "--stdin"], { input: content })
  ).trim();
}

const gitDirs = new Map<string, string>();

async function gitDir(git: Git): Promise<string> {
  let dir = gitDirs.get(git.dir);
  if (dir === undefined) {
    dir = path.resolve(
      git.dir,
      (await git.run(["rev-parse", "--git-dir"])).trim(),
    );
    gitDirs.set(git.dir, dir);
  }
  return dir;
}

/**
 * Builds a commit on top of `spec.parents[0]` (its tree, or `spec.base` as a tree) with one
 * fast-import process; prints only its id.
 */
function fastImportCommit(git: Git, spec: CommitSpec): Promise<string> {
  const [first, ...merges] = spec.parents;
  return runFastImport(git, new Date(), spec.message, [
    `from ${first}`,
    ...merges.map((parent) => `merge ${parent}`),
    // A root of its own: fast-import's filemodify with an empty path replaces the whole tree.
    ...(spec.base === first ? [] : [`M 040000 ${spec.base} ""`]),
    ...spec.changes.map((change) =>
      "remove" in change
        ? `D ${quotePath(change.path)}`
        : `M 100644 inline ${quotePath(change.path)}\n${data(change.content)}`,
    ),
  ]);
}

/** A task-ref state commit: a tree of exactly one file, on top of the state it read. */
export interface StateCommitSpec {
  /** The task ref's commit we read; undefined for the task's first claim (a root commit). */
  parent: string | undefined;
  path: string;
  content: string;
  message: string;
  /** The time of the event (author and committer time). */
  at?: Date;
}

/**
 * Creates a task-ref state commit (objects only; no ref moves) with one fast-import process and
 * returns its id. The tree is rebuilt from nothing (`deleteall`): it holds only `spec.path`.
 */
export async function buildStateCommit(
  git: Git,
  spec: StateCommitSpec,
): Promise<string> {
  const [commit] = await buildStateCommits(git, [spec]);
  if (commit === undefined) throw new Error("git fast-import printed no id");
  return commit;
}

/**
 * Task-ref state commits, several at once: one fast-import process writes them all (a batch's
 * `done` markers) and their ids come back in order.
 */
export async function buildStateCommits(
  git: Git,
  specs: readonly StateCommitSpec[],
): Promise<string[]> {
  if (specs.length === 0) return [];
  const out = await runFastImportMany(
    git,
    specs.map((spec) => ({
      at: spec.at ?? new Date(),
      message: spec.message,
      body: [
        ...(spec.parent === undefined ? [] : [`from ${spec.parent}`]),
        "deleteall",
        `M 100644 inline ${quotePath(spec.path)}\n${data(spec.content)}`,
      ],
    })),
  );
  return out.split("\n").filter(Boolean);
}

/** Runs one fast-import that writes one commit (`body`: its from/merge/file lines); its id. */
async function runFastImport(
  git: Git,
  at: Date,
  message: string,
  body: readonly string[],
): Promise<string> {
  return (await runFastImportMany(git, [{ at, message, body }])).trim();
}

/**
 * One fast-import writing `commits`, printing their ids one a line. fast-import must commit on a
 * ref; a throwaway one, unique per call so concurrent builds in one clone never share it, is
 * emptied by a reset after each commit (so none takes the one before as its parent).
 */
async function runFastImportMany(
  git: Git,
  commits: readonly { at: Date; message: string; body: readonly string[] }[],
): Promise<string> {
  const identity = git.identity ?? {
    name: "gitswarm",
    email: "gitswarm@gitswarm.invalid",
  };
  const name = identity.name.replace(/[<>\n]/g, "");
  const email = identity.email.replace(/[<>\n]/g, "");
  const ref = `refs/gitswarm/fast-import-${randomBytes(4).toString("hex")}`;
  const lines = commits.flatMap(({ at, message, body }, i) => {
    const person = `${name} <${email}> ${Math.floor(at.getTime() / 1000)} +0000`;
    return [
      `commit ${ref}`,
      `mark :${i + 1}`,
      `author ${person}`,
      `committer ${person}`,
      data(message),
      ...body,
      `reset ${ref}`,
      "",
    ];
  });
  lines.push(...commits.map((_, i) => `get-mark :${i + 1}`), "done", "");
  return git.run(["fast-import", "--quiet", "--done"], {
    input: lines.join("\n"),
  });
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}`;
}

/** fast-import's path syntax: C-style quotes when a path could be misread. */
function quotePath(file: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(file) ? file : JSON.stringify(file);
}
