/**
 * Issue 23: the demo printed "lock sweep failed: git fetch … couldn't find remote ref" when a
 * branch was deleted on the hub between the sweeper's listing and its fetch (the coalescer had
 * ended). Reading the hub's branches lists again instead, and returns those still there.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Git, type GitRunOptions } from "../../../coordination/git/git.js";
import { readHubBranches } from "../../../coordination/git/hub-branches.js";
import { makeTempDir } from "../../support/temp-dir.js";

const ID = { name: "t", email: "t@gitswarm.invalid" };

/** Real git, with the hub losing a branch right after the first `ls-remote` answered. */
class RacingGit extends Git {
  lists = 0;
  constructor(
    dir: string,
    private readonly hub: Git,
    private readonly gone: string,
  ) {
    super(dir, ID);
  }
  override async run(args: readonly string[], options?: GitRunOptions) {
    const out = await super.run(args, options);
    if (args[0] === "ls-remote" && ++this.lists === 1)
      await this.hub.run(["update-ref", "-d", `refs/heads/${this.gone}`]);
    return out;
  }
}

describe("reading the hub's work branches", () => {
  it("lists again when a branch is deleted between the listing and the fetch", async () => {
    const root = await makeTempDir("gitswarm-hub-branches-");
    const hubDir = path.join(root, "hub.git");
    const cloneDir = path.join(root, "clone");
    await new Git(root).run(["init", "--quiet", "--bare", hubDir]);
    await new Git(root).run(["clone", "--quiet", hubDir, cloneDir]);
    const clone = new Git(cloneDir, ID);
    await clone.run(["commit", "--quiet", "--allow-empty", "-m", "tip"]);
    for (const b of ["swarm/a/x", "swarm/coalescer-1/swarm-coalesce"])
      await clone.run(["push", "--quiet", "origin", `HEAD:refs/heads/${b}`]);
    const git = new RacingGit(
      cloneDir,
      new Git(hubDir),
      "swarm/coalescer-1/swarm-coalesce",
    );
    const ws = { dir: cloneDir, git, remote: "origin", branch: "main" };
    const tips = await readHubBranches(ws, [
      "swarm/a/x",
      "swarm/coalescer-1/swarm-coalesce",
    ]);
    expect(tips.map((t) => t.branch)).toEqual(["swarm/a/x"]);
    expect(git.lists).toBe(2);
  });
});
