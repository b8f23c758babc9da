/**
 * No empty done: work that changes nothing against main beyond the protocol's files (PROGRESS.md,
 * locks/, the oracle baseline the gate itself keeps) is a failed attempt, "no change" — unless
 * the task says `empty: ok` or is a job (its result line and manifest are its change).
 */
import { BASELINE_PATH } from "../../oracle/index.js";
import {
  trackingRef,
  type Workspace,
} from "../../coordination/git/workspace.js";

/** Paths that never count as a change of the work: they belong to the protocol and the gate. */
export const PROTOCOL_PATHS = ["PROGRESS.md", "locks", BASELINE_PATH] as const;

/** The reason a change-less attempt fails with (the next prompt shows it). */
export const NO_CHANGE_REASON =
  "no change: the work changed no file against main (beyond PROGRESS.md); make the change the task asks for in the workspace, or give up with the reason. A task that may end without a change says 'empty: ok'.";

/** Parses `git diff --name-only -z` output into paths. Pure. */
export function parseNameList(output: string): string[] {
  return output.split("\0").filter((name) => name !== "");
}

/** The files the rebased work changes against the hub's main (protocol files left out). */
export async function changedFiles(ws: Workspace): Promise<string[]> {
  const output = await ws.git.run([
    "diff",
    "--name-only",
    "-z",
    "--no-renames",
    trackingRef(ws),
    "HEAD",
    "--",
    ".",
    ...PROTOCOL_PATHS.map((p) => `:(exclude)${p}`),
  ]);
  return parseNameList(output);
}

/** The diff of the rebased work against the hub's main (protocol files left out), for reviewers. */
export async function workDiff(ws: Workspace): Promise<string> {
  return ws.git.run([
    "diff",
    "--no-color",
    "--no-ext-diff",
    trackingRef(ws),
    "HEAD",
    "--",
    ".",
    ...PROTOCOL_PATHS.map((p) => `:(exclude)${p}`),
  ]);
}
