/**
 * Held edits of the user's PROGRESS.md and their confirmation. When the runner holds an edit that
 * looked like an accident (coordination/progress/review/edit-review.ts), it records what it held
 * in `.gitswarm/progress-held.json`; `gitswarm progress accept` records the content hash of the
 * file as it is now in `.gitswarm/progress-accept`, and the runner then sends exactly that text
 * (a later edit is reviewed again). Both files are plain, small and per checkout.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import {
  contentHash,
  readFileSettled,
  writeFileAtomic,
} from "../../../coordination/base/atomic-file.js";
import { UserError } from "../../../coordination/base/errors.js";
import type { EditFinding } from "../../../coordination/progress/review/edit-review.js";

/** What the runner held: the held text's hash, when, and what looked wrong. */
export interface HeldEdit {
  hash: string;
  at: string;
  findings: EditFinding[];
}

const HELD = "progress-held.json";
const ACCEPT = "progress-accept";

function stateFile(repoDir: string, name: string): string {
  return path.join(repoDir, ".gitswarm", name);
}

/** Records a held edit (replacing an earlier one). */
export async function recordHeldEdit(
  repoDir: string,
  held: HeldEdit,
): Promise<void> {
  await mkdir(path.join(repoDir, ".gitswarm"), { recursive: true });
  await writeFileAtomic(
    stateFile(repoDir, HELD),
    `${JSON.stringify(held, null, 2)}\n`,
  );
}

/** The held edit, if the runner holds one. */
export async function readHeldEdit(
  repoDir: string,
): Promise<HeldEdit | undefined> {
  const text = await readFile(stateFile(repoDir, HELD), "utf8").catch(
    () => undefined,
  );
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as HeldEdit;
  } catch {
    return undefined;
  }
}

/** Whether the human confirmed exactly this text with `gitswarm progress accept`. */
export async function isAccepted(
  repoDir: string,
  text: string,
): Promise<boolean> {
  const hash = await readFile(stateFile(repoDir, ACCEPT), "utf8").catch(
    () => "",
  );
  return hash.trim() === contentHash(text);
}

/** Forgets the held edit and its confirmation (the edit reached the hub, or was replaced). */
export async function clearHeldEdit(repoDir: string): Promise<void> {
  await rm(stateFile(repoDir, HELD), { force: true });
  await rm(stateFile(repoDir, ACCEPT), { force: true });
}

/** What `acceptProgressEdit` confirmed: the file's hash and the held edit it matches, if any. */
export interface AcceptResult {
  hash: string;
  held?: HeldEdit;
}

/**
 * Confirms the checkout's PROGRESS.md as it is now: the running (or next) `gitswarm run` sends it
 * to the swarm even though it looked wrong. Throws UserError when the file is missing.
 */
export async function acceptProgressEdit(
  repoDir: string,
): Promise<AcceptResult> {
  const file = path.join(repoDir, "PROGRESS.md");
  const text = await readFileSettled(file).catch(() => {
    throw new UserError(
      "no-progress",
      `${file} does not exist; nothing to accept`,
    );
  });
  const hash = contentHash(text);
  await mkdir(path.join(repoDir, ".gitswarm"), { recursive: true });
  await writeFileAtomic(stateFile(repoDir, ACCEPT), `${hash}\n`);
  const held = await readHeldEdit(repoDir);
  return { hash, held: held?.hash === hash ? held : undefined };
}
