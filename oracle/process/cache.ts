/**
 * The result cache: a command's outcome for a case, stored under a key that hashes everything the
 * outcome depends on that we can identify (case content, command, the candidate's build inputs,
 * limits), so a re-run only runs what changed. Lives in `oracle.cacheDir` (git-ignored).
 * Timeouts and aborts are never cached: they depend on the machine's load, not on the inputs.
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { sha256 } from "../cases.js";
import { COMMAND_NOT_FOUND } from "./execute.js";
import { expandGlob } from "../glob.js";
import { programIdentity } from "./program.js";
import type { CommandOutcome } from "../types.js";

/** Everything a cached outcome depends on. */
export interface CacheKeyParts {
  role: "reference" | "candidate";
  command: string;
  caseSha256: string;
  inputsSha256: string;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** The cache key of an outcome (pure): a hash of its parts. */
export function outcomeCacheKey(parts: CacheKeyParts): string {
  return sha256(
    JSON.stringify([
      1,
      parts.role,
      parts.command,
      parts.caseSha256,
      parts.inputsSha256,
      parts.timeoutMs,
      parts.maxOutputBytes,
    ]),
  );
}

/**
 * True when an outcome may be cached: not one that depends on timing or on an abort, nor a
 * "command not found" (installing the program must not leave that answer cached).
 */
export function isCacheable(outcome: CommandOutcome): boolean {
  return (
    !outcome.timedOut &&
    !outcome.aborted &&
    outcome.exitCode !== COMMAND_NOT_FOUND
  );
}

/**
 * Hashes the build inputs of a command: files matching `globs` plus files the command line names
 * directly (`node candidate/run.mjs` names candidate/run.mjs), by path and content, and the
 * identity of the program binary it starts (an upgraded `node` or `sqlite3` runs everything again).
 */
export async function fingerprintInputs(
  repoDir: string,
  globs: readonly string[],
  command: string | undefined,
): Promise<string> {
  const files = new Set<string>();
  for (const glob of globs)
    for (const file of await expandGlob(repoDir, glob))
      files.add(path.join(repoDir, file));
  for (const word of (command ?? "").split(/\s+/)) {
    const clean = word.replace(/^['"]|['"]$/g, "");
    if (
      clean !== "" &&
      !clean.includes("{") &&
      (await isFile(path.resolve(repoDir, clean)))
    )
      files.add(path.resolve(repoDir, clean));
  }
  const parts: string[] = [await programIdentity(repoDir, command)];
  for (const file of [...files].sort())
    parts.push(
      `${path.relative(repoDir, file)}\0${sha256(await readFile(file))}`,
    );
  return sha256(parts.join("\n"));
}

/** Reads a cached outcome, or undefined (missing or unreadable entries are misses). */
export async function readCachedOutcome(
  cacheDir: string,
  key: string,
): Promise<CommandOutcome | undefined> {
  try {
    const stored = JSON.parse(
      await readFile(
        path.join(cacheDir, key.slice(0, 2), `${key}.json`),
        "utf8",
      ),
    ) as CommandOutcome & { stdout: string };
    return { ...stored, stdout: Buffer.from(stored.stdout, "base64") };
  } catch {
    return undefined;
  }
}

/** Stores an outcome; written to a temp file and renamed so parallel runs never read half an entry. */
export async function writeCachedOutcome(
  cacheDir: string,
  key: string,
  outcome: CommandOutcome,
): Promise<void> {
  const dir = path.join(cacheDir, key.slice(0, 2));
  await mkdir(dir, { recursive: true });
  const temp = path.join(
    dir,
    `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  await writeFile(
    temp,
    JSON.stringify({
      ...outcome,
      stdout: Buffer.from(outcome.stdout).toString("base64"),
    }),
  );
  await rename(temp, path.join(dir, `${key}.json`));
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
