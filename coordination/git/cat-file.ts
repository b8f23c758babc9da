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
