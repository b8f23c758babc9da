/**
 * Publishing the user's branch to the hub at the start of a run, also while a swarm is already
 * running there (another host's runner landing work every few seconds). Commits the hub's main lacks
 * are pushed on top of it: as they are when main has not moved, else as a merge of main and the
 * user's branch made without touching the user's working tree (`git merge-tree`). A rejected push
 * (main moved in between) is fetched and tried again; only a real conflict stops the run, with the
 * files and the commands that resolve it. The user's branch itself is left alone: the run's end
 * fast-forwards it to the hub's main, which then contains it.
 */
import { NETWORK_TIMEOUT_MS, type Git } from "../../../coordination/git/git.js";
import { backoffDelayMs, sleep } from "../../../coordination/git/backoff.js";
import { UserError } from "../../../coordination/base/errors.js";
import { USER_REMOTE } from "../../hub-location.js";

/** What publishing did: nothing to send, a fast-forward, or a merge commit (its id). */
export type PublishResult =
  | { published: "up-to-date" | "fast-forward" | "created" }
  | { published: "merged"; commit: string };

const MAX_ROUNDS = 8;

/** Pushes the user's commits to the hub's main; merges with a moved main; refuses on conflicts. */
export async function publishUserBranch(
  user: Git,
  hubUrl: string,
  branch: string,
): Promise<PublishResult> {
  const hubRef = `refs/remotes/${USER_REMOTE}/${branch}`;
  for (let round = 1; ; round += 1) {
    const hubHasBranch = await fetchHub(user, hubUrl, branch, hubRef);
    if (round === 1) await ensureRemote(user, hubUrl);
    let target = "HEAD";
    let result: PublishResult = {
      published: hubHasBranch ? "fast-forward" : "created",
    };
    if (hubHasBranch) {
      if (await isAncestor(user, "HEAD", hubRef))
        return { published: "up-to-date" };
      if (!(await isAncestor(user, hubRef, "HEAD"))) {
        target = await mergeWithHub(user, hubRef, branch);
        result = { published: "merged", commit: target };
      }
    }
    const pushed = await user.tryRun(
      ["push", "--quiet", USER_REMOTE, `${target}:refs/heads/${branch}`],
      { timeoutMs: NETWORK_TIMEOUT_MS },
    );
    if (pushed.ok) return result;
    const moved =
      /\[rejected\]|fetch first|non-fast-forward|stale info|failed to update ref|cannot lock ref/i.test(
        pushed.stderr,
      );
    if (!moved || round >= MAX_ROUNDS)
      throw new UserError(
        "hub-unreachable",
        moved
          ? `the hub's ${branch} kept moving while your ${round} push(es) of this checkout's commits were on their way; run again`
          : `cannot push to the hub ${hubUrl}: ${pushed.stderr.trim()}`,
      );
    await sleep(backoffDelayMs(round));
  }
}

/** Fetches the hub's branch by URL (an unreachable hub leaves the repo as it was). */
async function fetchHub(
  user: Git,
  hubUrl: string,
  branch: string,
  hubRef: string,
): Promise<boolean> {
  const fetched = await user.tryRun(
    ["fetch", "--quiet", hubUrl, `+refs/heads/${branch}:${hubRef}`],
    { timeoutMs: NETWORK_TIMEOUT_MS },
  );
  if (fetched.ok) return true;
  if (/couldn't find remote ref/i.test(fetched.stderr)) return false;
  throw new UserError(
    "hub-unreachable",
    `cannot reach the hub ${hubUrl}: ${fetched.stderr.trim()}\nCheck hub.url in gitswarm.config.yaml.`,
  );
}

async function ensureRemote(user: Git, hubUrl: string): Promise<void> {
  const remotes = (await user.run(["remote"])).split("\n");
  if (!remotes.includes(USER_REMOTE))
    await user.run(["remote", "add", USER_REMOTE, hubUrl]);
  else await user.run(["remote", "set-url", USER_REMOTE, hubUrl]);
}

/** A merge commit of the hub's main and HEAD, made without a working tree; refuses on conflicts. */
async function mergeWithHub(
  user: Git,
  hubRef: string,
  branch: string,
): Promise<string> {
  const merged = await user.tryRun([
    "merge-tree",
    "--write-tree",
    "--name-only",
    "--no-messages",
    hubRef,
    "HEAD",
  ]);
  const [tree = "", ...conflicts] = merged.stdout
    .split("\n")
    .filter((line) => line !== "");
  if (!merged.ok) {
    const files =
      merged.exitCode === 1 && conflicts.length > 0
        ? ` in ${conflicts.slice(0, 5).join(", ")}`
        : `: ${merged.stderr.trim()}`;
    throw new UserError(
      "diverged",
      `this checkout's commits and the hub's ${branch} conflict${files}. Merge them, then run again:\n` +
        `  git pull ${USER_REMOTE} ${branch}   # resolve the conflicts, git commit\n` +
        `  gitswarm run`,
    );
  }
  const ahead = (
    await user.run(["rev-list", "--count", `${hubRef}..HEAD`])
  ).trim();
  return (
    await user.run([
      "commit-tree",
      tree,
      "-p",
      hubRef,
      "-p",
      "HEAD",
      "-m",
      `merge: ${ahead} commit(s) of a joining runner's checkout into ${branch}`,
    ])
  ).trim();
}

async function isAncestor(user: Git, a: string, b: string): Promise<boolean> {
  return (await user.tryRun(["merge-base", "--is-ancestor", a, b])).ok;
}
