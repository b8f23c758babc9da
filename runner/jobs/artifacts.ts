/**
 * A job's artifacts manifest: the files its `artifacts:` globs match, with size and sha256, so the
 * done-commit records what the job produced without committing large files.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { expandGlob } from "../../oracle/glob.js";

/** One produced file; `path` is relative to the directory the globs were expanded in. */
export interface ArtifactEntry {
  path: string;
  size: number;
  sha256: string;
}

/** Where the manifest lands in the done-commit. */
export function manifestPath(taskId: string): string {
  return `artifacts/${taskId}.json`;
}

/** Hashes every file the globs match under `dir` (sorted by path; duplicates once). */
export async function buildArtifactManifest(
  dir: string,
  globs: readonly string[],
): Promise<ArtifactEntry[]> {
  const files = new Set<string>();
  for (const glob of globs)
    for (const file of await expandGlob(dir, glob)) files.add(file);
  const entries: ArtifactEntry[] = [];
  for (const file of [...files].sort()) {
    const absolute = path.resolve(dir, file);
    const info = await stat(absolute);
    if (!info.isFile()) continue;
    entries.push({
      path: file,
      size: info.size,
      sha256: await sha256File(absolute),
    });
  }
  return entries;
}

/** The manifest as committed: stable JSON, one entry per line for readable diffs. */
export function renderManifest(
  taskId: string,
  entries: readonly ArtifactEntry[],
): string {
  const lines = entries.map((entry) => `    ${JSON.stringify(entry)}`);
  return `{\n  "task": ${JSON.stringify(taskId)},\n  "artifacts": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
