/**
 * Issue 25: the lander writes each done-commit of a batch from `git merge-tree`'s tree with one
 * fast-import process (`baseTree`) instead of six index commands. It must write exactly the tree the
 * index path writes: the merged tree, the changes on top, the parent named. A batch's `done`
 * markers are written by one fast-import too: each on its own parent, never on the one before.
 */
import path from "node:path";
import { writeFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildCommit,
  buildStateCommits,
} from "../../../coordination/git/commit-builder.js";
import { Git } from "../../../coordination/git/git.js";
import { agentIdentity } from "../../../coordination/git/workspace.js";
import { makeTempDir } from "../../support/temp-dir.js";

describe("buildCommit with a tree as its base", () => {
  let git: Git;
  let parent: string;
  let tree: string;

  beforeAll(async () => {
    const dir = await makeTempDir("gitswarm-commit-tree-");
    git = new Git(dir, agentIdentity("t"));
    await git.run(["init", "--quiet", "--initial-branch=main"]);
    await writeFile(path.join(dir, "a.txt"), "a\n");
    await git.run(["add", "a.txt"]);
    await git.run(["commit", "--quiet", "-m", "a"]);
    parent = (await git.run(["rev-parse", "HEAD"])).trim();
    // A tree the parent does not have (a file added, one changed): what merge-tree would print.
    await writeFile(path.join(dir, "a.txt"), "a2\n");
    await writeFile(path.join(dir, "b.txt"), "b\n");
    await git.run(["add", "a.txt", "b.txt"]);
    tree = (await git.run(["write-tree"])).trim();
  });

  it("writes the same tree and parent as the index path", async () => {
    const spec = {
      base: tree,
      parents: [parent],
      changes: [
        { path: "PROGRESS.md", content: "- [x] t1\n" },
        { path: "b.txt", remove: true as const },
      ],
      message: "done: t1\n",
    };
    const fast = await buildCommit(git, { ...spec, baseTree: true });
    const slow = await buildCommit(git, spec);
    const treeOf = async (c: string) =>
      (await git.run(["rev-parse", `${c}^{tree}`])).trim();
    expect(await treeOf(fast)).toBe(await treeOf(slow));
    expect((await git.run(["rev-parse", `${fast}^`])).trim()).toBe(parent);
    expect((await git.run(["show", `${fast}:a.txt`])).trim()).toBe("a2");
    expect(
      (await git.run(["ls-tree", "--name-only", fast])).trim().split("\n"),
    ).toEqual(["PROGRESS.md", "a.txt"]);
  });

  it("writes several state commits in one process, each on its own parent", async () => {
    const [first, second] = await buildStateCommits(git, [
      { parent: parent, path: "t1.md", content: "one\n", message: "m1\n" },
      { parent: undefined, path: "t2.md", content: "two\n", message: "m2\n" },
    ]);
    expect(first).toMatch(/^[0-9a-f]{40}$/);
    expect((await git.run(["rev-parse", `${first}^`])).trim()).toBe(parent);
    expect(
      (await git.run(["ls-tree", "--name-only", first ?? ""])).trim(),
    ).toBe("t1.md");
    // No parent given: a root commit, not a child of the first.
    expect((await git.run(["rev-list", "--count", second ?? ""])).trim()).toBe(
      "1",
    );
    expect((await git.run(["show", `${second}:t2.md`])).trim()).toBe("two");
  });
});
