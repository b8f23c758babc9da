/**
 * Builds commits with plumbing, never touching the clone's working tree or index: a claim is a
 * commit on the hub's main made while the agent's checkout sits on its own work branch.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Git } from './git.js';

/** One file written or removed by a commit. */
export type FileChange = { path: string; content: string } | { path: string; remove: true };

export interface CommitSpec {
  /** The tree to start from (a commit or tree id). */
  base: string;
  parents: string[];
  changes: readonly FileChange[];
  message: string;
}

const ZERO_OID = '0000000000000000000000000000000000000000';

/** Creates the commit (objects only; no ref moves) and returns its id. */
export async function buildCommit(git: Git, spec: CommitSpec): Promise<string> {
  const tree = await buildTree(git, spec.base, spec.changes);
  const parents = spec.parents.flatMap((parent) => ['-p', parent]);
  return (await git.run(['commit-tree', tree, ...parents, '-F', '-'], { input: spec.message })).trim();
}

/** Writes `base` with `changes` applied as a tree object and returns its id. */
export async function buildTree(git: Git, base: string, changes: readonly FileChange[]): Promise<string> {
  // A private index per call: concurrent builds in one clone, and the user's own index, stay apart.
  const index = path.join(await gitDir(git), `gitswarm-index-${randomBytes(6).toString('hex')}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await git.run(['read-tree', `${base}^{tree}`], { env });
    const entries: string[] = [];
    for (const change of changes) {
      if ('remove' in change) entries.push(`0 ${ZERO_OID}\t${change.path}`);
      else entries.push(`100644 ${await writeBlob(git, change.content)}\t${change.path}`);
    }
    if (entries.length > 0) await git.run(['update-index', '--index-info'], { env, input: `${entries.join('\n')}\n` });
    return (await git.run(['write-tree'], { env })).trim();
  } finally {
    await rm(index, { force: true });
  }
}

/** Stores a blob and returns its id. */
export async function writeBlob(git: Git, content: string): Promise<string> {
  return (await git.run(['hash-object', '-w', '--stdin'], { input: content })).trim();
}

const gitDirs = new Map<string, string>();

async function gitDir(git: Git): Promise<string> {
  let dir = gitDirs.get(git.dir);
  if (dir === undefined) {
    dir = path.resolve(git.dir, (await git.run(['rev-parse', '--git-dir'])).trim());
    gitDirs.set(git.dir, dir);
  }
  return dir;
}
