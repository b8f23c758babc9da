/**
 * Bringing the swarm's results to the user's checkout at the end of a run: a fast-forward of the
 * user's branch to the hub's main when that is safe (the only local change is the live
 * PROGRESS.md the runner kept in step), otherwise the command to run. git never rewrites the live
 * PROGRESS.md here: it already holds the hub's text, so it is staged as it is and the fast-forward
 * leaves the file alone (a reader or an editor never sees it missing or half-written).
 */
import { readFileSettled } from "../../../coordination/base/atomic-file.js";
import path from "node:path";
import { Git, NETWORK_TIMEOUT_MS } from "../../../coordination/git/git.js";
import { USER_REMOTE } from "../swarm-setup.js";

export type HomeResult =
  { updated: true; commit: string } | { updated: false; instruction: string };

/** Fast-forwards the user's branch to the hub's main if nothing of the user's would be touched. */
export async function bringResultsHome(
  repoDir: string,
  branch: string,
): Promise<HomeResult> {
  const git = new Git(repoDir);
  const hubRef = `refs/remotes/${USER_REMOTE}/${branch}`;
  const instruction = `git pull ${USER_REMOTE} ${branch}`;
  const fetched = await git.tryRun(
    ["fetch", "--quiet", USER_REMOTE, `+refs/heads/${branch}:${hubRef}`],
    { timeoutMs: NETWORK_TIMEOUT_MS },
  );
  if (!fetched.ok) return { updated: false, instruction };
  if (!(await git.tryRun(["merge-base", "--is-ancestor", "HEAD", hubRef])).ok)
    return { updated: false, instruction };
  // Porcelain lines start with a two-letter status and a space; trimming would eat the first letter.
  const dirty = (
    await git.run(["status", "--porcelain", "--untracked-files=no"])
  )
    .split("\n")
    .filter(Boolean);
  if (dirty.some((line) => line.slice(3) !== "PROGRESS.md"))
    return { updated: false, instruction };
  if (dirty.length > 0) {
    // The live copy must equal the hub's (no unsent human edit) before it is replaced.
    const local = await readFileSettled(path.join(repoDir, "PROGRESS.md"));
    const hub = await git.run(["show", `${hubRef}:PROGRESS.md`]);
    if (local !== hub) return { updated: false, instruction };
    // Staged as it is: the index then already holds the fast-forward's blob, so git keeps the file.
    await git.run(["add", "--", "PROGRESS.md"]);
  }
  const merged = await git.tryRun(["merge", "--quiet", "--ff-only", hubRef]);
  if (!merged.ok) {
    await git.tryRun(["reset", "--quiet", "--", "PROGRESS.md"]);
    return { updated: false, instruction };
  }
  return {
    updated: true,
    commit: (await git.run(["rev-parse", "HEAD"])).trim(),
  };
}
