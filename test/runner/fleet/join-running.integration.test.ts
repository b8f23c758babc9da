/**
 * Joining a running swarm from a checkout with local commits (issue 24): the hub's main has moved
 * since the checkout was made. The user's commits are merged with main without touching their
 * working tree and pushed; main moving again between the fetch and the push is fetched and retried;
 * a real conflict is refused naming the files and the commands. Never git's raw rejection.
 */
import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Git } from "../../../coordination/git/git.js";
import { UserError } from "../../../coordination/base/errors.js";
import { publishUserBranch } from "../../../runner/swarm/checkout/user-publish.js";
import { createFleet, type Fleet } from "./support/fleet-fixture.js";

/** A commit on the hub's main from another clone (what a running swarm's landings look like). */
async function landElsewhere(
  fleet: Fleet,
  name: string,
  file: string,
  text: string,
) {
  const dir = await fleet.checkout(name);
  const git = new Git(dir);
  await writeFile(path.join(dir, file), text);
  await git.run(["add", file]);
  await git.run(["commit", "--quiet", "-m", `land ${file}`]);
  await git.run(["push", "--quiet", "origin", "main"]);
}

async function localCommit(dir: string, file: string, text: string) {
  const git = new Git(dir);
  await writeFile(path.join(dir, file), text);
  await git.run(["add", file]);
  await git.run(["commit", "--quiet", "-m", `local ${file}`]);
  return (await git.run(["rev-parse", "HEAD"])).trim();
}

describe("joining a running swarm with local commits", () => {
  it("merges them with the hub's moved main, pushes, and leaves the checkout as it was", async () => {
    const fleet = await createFleet({ tasks: 1, agents: 1 });
    const mine = await fleet.checkout("mine");
    const head = await localCommit(mine, "gitswarm.config.yaml", "lease: 1m\n");
    await landElsewhere(fleet, "other", "landed.txt", "landed\n");
    const user = new Git(mine);
    const result = await publishUserBranch(user, fleet.hubDir, "main");
    expect(result.published).toBe("merged");
    const hub = new Git(fleet.hubDir);
    expect(
      (await hub.tryRun(["merge-base", "--is-ancestor", head, "main"])).ok,
    ).toBe(true);
    expect(await hub.run(["show", "main:landed.txt"])).toBe("landed\n");
    expect(await hub.run(["show", "main:gitswarm.config.yaml"])).toBe(
      "lease: 1m\n",
    );
    expect((await user.run(["rev-parse", "HEAD"])).trim()).toBe(head);
    expect(await user.run(["status", "--porcelain"])).toBe("");
  });

  it("retries when main moves between its fetch and its push", async () => {
    const fleet = await createFleet({ tasks: 1, agents: 1 });
    const mine = await fleet.checkout("mine");
    const head = await localCommit(mine, "notes.txt", "mine\n");
    // The hub's first receive moves main under the push, as a landing runner would.
    const racer = await fleet.checkout("racer");
    const racerGit = new Git(racer);
    await writeFile(path.join(racer, "race.txt"), "raced\n");
    await racerGit.run(["add", "race.txt"]);
    await racerGit.run(["commit", "--quiet", "-m", "racer"]);
    const raced = (await racerGit.run(["rev-parse", "HEAD"])).trim();
    await racerGit.run(["push", "--quiet", "origin", "HEAD:refs/heads/racer"]);
    const marker = path.join(fleet.root, "raced-once");
    const hook = path.join(fleet.hubDir, "hooks", "pre-receive");
    await writeFile(
      hook,
      `#!/bin/sh\nif [ ! -e ${marker} ]; then touch ${marker}; env -u GIT_QUARANTINE_PATH git update-ref refs/heads/main ${raced}; fi\nexit 0\n`,
    );
    await chmod(hook, 0o755);
    const result = await publishUserBranch(new Git(mine), fleet.hubDir, "main");
    expect(result.published).toBe("merged");
    const hub = new Git(fleet.hubDir);
    for (const commit of [head, raced])
      expect(
        (await hub.tryRun(["merge-base", "--is-ancestor", commit, "main"])).ok,
      ).toBe(true);
    await expect(readFile(marker, "utf8")).resolves.toBe("");
  });

  it("refuses a real conflict with the files and what to run", async () => {
    const fleet = await createFleet({ tasks: 1, agents: 1 });
    const mine = await fleet.checkout("mine");
    await localCommit(mine, "DESIGN.md", "# Mine\n");
    await landElsewhere(fleet, "other", "DESIGN.md", "# Theirs\n");
    const error = await publishUserBranch(
      new Git(mine),
      fleet.hubDir,
      "main",
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain("conflict in DESIGN.md");
    expect((error as Error).message).toContain("git pull gitswarm main");
    expect((error as Error).message).not.toContain("[rejected]");
  });
});
