/**
 * Reads many git objects with one `git cat-file --batch` process: the claim path reads the hub
 * tip, PROGRESS.md and a lock in a single spawn instead of three.
 */
import { SwarmError } from "../base/errors.js";
import { decode } from "../base/spawn.js";
import type { Git } from "./git.js";

/** One object as `cat-file --batch` describes it; `missing` when the name does not resolve. */
export type CatFileEntry =
  | { name: string; missing: true }
  | {
      name: string;
      missing: false;
      oid: string;
      type: string;
      content: Uint8Array;
    };

/** Reads each named object (`<rev>`, `<rev>:<path>`); names must not contain newlines. */
export async function readObjects(
  git: Git,
  names: readonly string[],
): Promise<CatFileEntry[]> {
  const result = await git.runRaw(["cat-file", "--batch"], {
    input: names.map((n) => `${n}\n`).join(""),
  });
  if (result.exitCode !== 0) {
    throw new SwarmError(
      "git-failed",
      `git cat-file --batch failed in ${git.dir}: ${decode(result.stderr).trim()}`,
    );
  }
  return parseCatFileBatch(result.stdout, names);
}

/** Parses `cat-file --batch` output (binary-safe: sizes are in bytes). */
export function parseCatFileBatch(
  output: Uint8Array,
  names: readonly string[],
): CatFileEntry[] {
  const entries: CatFileEntry[] = [];
  let offset = 0;
  for (const name of names) {
    const newline = output.indexOf(0x0a, offset);
    if (newline === -1)
      throw new SwarmError(
        "git-output",
        `cat-file output ended early at '${name}'`,
      );
    const header = decode(output.subarray(offset, newline));
    offset = newline + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      entries.push({ name, missing: true });
      continue;
    }
    const [oid, type, size] = header.split(" ");
    const length = Number(size);
    if (oid === undefined || type === undefined || !Number.isInteger(length)) {
      throw new SwarmError(
        "git-output",
        `unexpected cat-file header '${header}' for '${name}'`,
      );
    }
    entries.push({
      name,
      missing: false,
      oid,
      type,
      content: output.subarray(offset, offset + length),
    });
    offset += length + 1;
  }
  return entries;
}

/** The text of an entry, or undefined when it is missing. */
export function entryText(entry: CatFileEntry | undefined): string | undefined {
  return entry === undefined || entry.missing
    ? undefined
    : decode(entry.content);
}

/** One object as `cat-file --batch-check` describes it: type and size, its content unread. */
export type ObjectInfo =
  | { name: string; missing: true }
  | { name: string; missing: false; oid: string; type: string; size: number };

/**
 * Looks up each named object's id, type and size with one `git cat-file --batch-check`, reading
 * no content: what a caller checks before it reads objects someone else may have made huge.
 */
export async function checkObjects(
  git: Git,
  names: readonly string[],
): Promise<ObjectInfo[]> {
  const result = await git.runRaw(["cat-file", "--batch-check"], {
    input: names.map((n) => `${n}\n`).join(""),
  });
  if (result.exitCode !== 0) {
    throw new SwarmError(
      "git-failed",
      `git cat-file --batch-check failed in ${git.dir}: ${decode(result.stderr).trim()}`,
    );
  }
  return parseCatFileCheck(decode(result.stdout), names);
}

/** Parses `cat-file --batch-check` output: one `<oid> <type> <size>` or `<name> missing` line each. */
export function parseCatFileCheck(
  output: string,
  names: readonly string[],
): ObjectInfo[] {
  const lines = output.split("\n");
  return names.map((name, i): ObjectInfo => {
    const header = lines[i];
    if (header === undefined || header === "")
      throw new SwarmError(
        "git-output",
        `cat-file output ended early at '${name}'`,
      );
    if (header.endsWith(" missing") || header.endsWith(" ambiguous"))
      return { name, missing: true };
    const [oid, type, size] = header.split(" ");
    const bytes = Number(size);
    if (oid === undefined || type === undefined || !Number.isInteger(bytes))
      throw new SwarmError(
        "git-output",
        `unexpected cat-file header '${header}' for '${name}'`,
      );
    return { name, missing: false, oid, type, size: bytes };
  });
}

/** One entry of a tree object: its mode (`40000` for a tree, `100644` for a file) and name. */
export interface TreeEntry {
  mode: string;
  name: string;
}

/**
 * Parses a tree object's content (`<mode> <name>\0<raw id>` per entry). `idBytes` is the raw
 * length of an object id: 20 for SHA-1, 32 for SHA-256 (half the hex length of any id).
 */
export function parseTree(content: Uint8Array, idBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let offset = 0;
  while (offset < content.length) {
    const space = content.indexOf(0x20, offset);
    const nul = content.indexOf(0x00, space + 1);
    if (space === -1 || nul === -1 || nul + idBytes > content.length)
      throw new SwarmError(
        "git-output",
        `a tree object ended early at byte ${offset}`,
      );
    entries.push({
      mode: decode(content.subarray(offset, space)),
      name: decode(content.subarray(space + 1, nul)),
    });
    offset = nul + 1 + idBytes;
  }
  return entries;
}
