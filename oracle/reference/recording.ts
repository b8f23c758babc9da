/**
 * Recorded reference outputs (`gitswarm oracle record`), so CI and agents without the reference
 * binary can still run the oracle. Layout, under `oracle.recordingDir` (default oracle/expected/):
 * `<case id>.out` holds the reference's stdout byte for byte, and `manifest.json` maps each case
 * id to the SHA-256 of the case it was recorded from and the reference's exit code; a case whose
 * hash (or reference command) changed since is stale.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../coordination/base/errors.js";
import { expandGlob } from "../glob.js";

/** The manifest of a recording. */
export interface Recording {
  version: 1;
  reference: string;
  cases: Record<string, { sha256: string; exitCode: number | null }>;
}

/** One recorded case as `writeRecording` takes it. */
export interface RecordedCase {
  id: string;
  sha256: string;
  exitCode: number | null;
  stdout: Uint8Array;
}

/** Whether a case's recording can be used: fresh, stale (case or reference changed) or missing. */
export type RecordingState = "fresh" | "stale" | "missing";

const MANIFEST = "manifest.json";

/** Reads the manifest; undefined when there is no recording; UserError when it is corrupt. */
export async function readRecording(
  repoDir: string,
  recordingDir: string,
): Promise<Recording | undefined> {
  const file = path.join(repoDir, recordingDir, MANIFEST);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Recording;
    if (parsed.version !== 1 || typeof parsed.cases !== "object")
      throw new Error("not a version 1 manifest");
    return parsed;
  } catch (error) {
    throw new UserError(
      "oracle-recording-corrupt",
      `${path.join(recordingDir, MANIFEST)}: ${(error as Error).message}; run 'gitswarm oracle record' to rewrite it`,
      { cause: error },
    );
  }
}

/** Decides whether the recording of one case is usable (pure). */
export function recordingState(
  recording: Recording | undefined,
  id: string,
  caseSha256: string,
  reference: string | undefined,
): RecordingState {
  const entry = recording?.cases[id];
  if (recording === undefined || entry === undefined) return "missing";
  if (entry.sha256 !== caseSha256) return "stale";
  if (reference !== undefined && recording.reference !== reference)
    return "stale";
  return "fresh";
}

/** Reads the recorded stdout of one case. */
export async function readRecordedOutput(
  repoDir: string,
  recordingDir: string,
  id: string,
): Promise<Uint8Array> {
  return readFile(path.join(repoDir, recordingDir, `${id}.out`));
}

/** Writes a complete recording: every output, the manifest, and removes outputs of cases no longer recorded. */
export async function writeRecording(
  repoDir: string,
  recordingDir: string,
  reference: string,
  cases: readonly RecordedCase[],
): Promise<void> {
  const root = path.join(repoDir, recordingDir);
  const keep = new Set(cases.map((c) => `${c.id}.out`));
  for (const old of await expandGlob(root, "**/*.out")) {
    if (!keep.has(old)) await rm(path.join(root, old), { force: true });
  }
  for (const recorded of cases) {
    const file = path.join(root, `${recorded.id}.out`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, recorded.stdout);
  }
  const manifest: Recording = { version: 1, reference, cases: {} };
  for (const recorded of [...cases].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    manifest.cases[recorded.id] = {
      sha256: recorded.sha256,
      exitCode: recorded.exitCode,
    };
  }
  await writeFile(
    path.join(root, MANIFEST),
    JSON.stringify(manifest, null, 2) + "\n",
  );
}
