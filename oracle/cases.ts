/**
 * Finding the test cases: expand the configured globs, read each case (and its expected-output
 * file in expect mode), and hash its content. Bad input (a glob matching nothing, an unreadable
 * case) is a UserError naming the glob or file and what to do.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../coordination/base/errors.js";
import { expandGlob } from "./glob.js";
import { mapPool } from "./process/pool.js";

/** One test case: its id (path relative to the repo), absolute path, content and content hash. */
export interface OracleCase {
  id: string;
  path: string;
  content: Uint8Array;
  sha256: string;
  /** The expected output from `<case><expectSuffix>`, when that file exists (expect mode). */
  expectFile?: Uint8Array;
}

/** Lists the case ids matched by `globs` (sorted, de-duplicated, expected-output files excluded). */
export async function listCaseIds(
  repoDir: string,
  globs: readonly string[],
  expectSuffix: string,
): Promise<string[]> {
  const ids = new Set<string>();
  for (const glob of globs) {
    const matched = (await expandGlob(repoDir, glob)).filter(
      (id) => !id.endsWith(expectSuffix),
    );
    if (matched.length === 0) {
      throw new UserError(
        "oracle-no-cases",
        `oracle.cases: no file matches '${glob}' (relative to ${repoDir}); fix the glob in gitswarm.config.yaml or --cases`,
      );
    }
    for (const id of matched) ids.add(id);
  }
  return [...ids].sort();
}

/** Reads the cases with the given ids; throws UserError for a case that cannot be read. */
export async function readCases(
  repoDir: string,
  ids: readonly string[],
  expectSuffix: string,
): Promise<OracleCase[]> {
  // Bounded, so a corpus of many thousand cases does not run out of file descriptors.
  return mapPool(ids, 64, async (id) => {
    const file = path.join(repoDir, id);
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      throw new UserError(
        "oracle-case-unreadable",
        `cannot read case ${id}: ${code} (${(error as Error).message}); fix its permissions or remove it from oracle.cases`,
        { cause: error },
      );
    }
    const expectFile = await readOptional(file + expectSuffix);
    return {
      id,
      path: file,
      content,
      sha256: sha256(content),
      ...(expectFile ? { expectFile } : {}),
    };
  });
}

/** Hex SHA-256 of bytes or text. */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserError(
      "oracle-case-unreadable",
      `cannot read expected output ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
