/**
 * The files live claims are changing: what each holder's work branch on the hub changed since it
 * left main. The cleanup must not touch them (it would conflict with work in progress).
 */
import { readHubBranches } from "../../coordination/git/hub-branches.js";
import type { SwarmState } from "../../coordination/protocol/swarm-state.js";
import {
  trackingRef,
  type Workspace,
} from "../../coordination/git/workspace.js";

/** Every file changed on a live claim's work branch (other than `ownTask`'s), as a set. */
export async function readClaimedFiles(
  ws: Workspace,
  state: SwarmState,
  ownTask: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const branches = state.locks.flatMap((l) =>
    l.entry.ok && l.entry.lock.task !== ownTask ? [l.entry.lock.branch] : [],
  );
  const files = new Set<string>();
  if (branches.length === 0) return files;
  for (const b of await readHubBranches(ws, branches, signal)) {
    const diff = await ws.git.tryRun([
      "diff",
      "--name-only",
      "-z",
      `${trackingRef(ws)}...${b.commit}`,
    ]);
    for (const file of diff.stdout.split("\0"))
      if (file !== "") files.add(file);
  }
  return files;
}
