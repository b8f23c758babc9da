/**
 * Issue 19 item 5: garbage on three task refs used to wedge the run forever, silently (a malformed
 * lock never expires). Now the run names each bad ref at the start, skips those tasks, finishes
 * the others, and ends (exit 1: tasks left undone) instead of waiting; `status` names the refs.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../../coordination/git/git.js";
import { agentIdentity } from "../../../coordination/git/workspace.js";
import { runCli } from "../support/cli-run.js";
import {
  createCommandSwarm,
  readLatestRunEvents,
  type CommandSwarm,
} from "../support/command-swarm.js";

const GARBAGE = ["t03", "t04", "t05"];

describe("garbage on task refs", () => {
  let swarm: CommandSwarm;
  let hubRoot: string;

  beforeAll(async () => {
    hubRoot = await mkdtemp(path.join(os.tmpdir(), "gitswarm-garbage-hub-"));
    const hub = path.join(hubRoot, "hub.git");
    swarm = await createCommandSwarm({
      taskCount: 5,
      agents: 2,
      config: `hub:\n  url: ${hub}\n`,
    });
    await new Git(hubRoot).run(["init", "--quiet", "--bare", hub]);
    await swarm.git.run(["push", "--quiet", hub, "main:main"]);
    // Each garbage ref: a commit holding locks/<id>.md that is no lock at all.
    const git = new Git(swarm.dir, agentIdentity("vandal"));
    for (const id of GARBAGE) {
      const blob = (
        await git.run(["hash-object", "-w", "--stdin"], {
          input: `this is not a lock ${id}\n`,
        })
      ).trim();
      const tree = (
        await git.run(["mktree"], {
          input: `040000 tree ${(await git.run(["mktree"], { input: `100644 blob ${blob}\t${id}.md\n` })).trim()}\tlocks\n`,
        })
      ).trim();
      const commit = (
        await git.run(["commit-tree", tree, "-m", "garbage"])
      ).trim();
      await git.run([
        "push",
        "--quiet",
        hub,
        `${commit}:refs/swarm/tasks/${id}`,
      ]);
    }
  }, 120_000);

  afterAll(async () => {
    await rm(swarm.root, { recursive: true, force: true });
    await rm(swarm.scriptDir, { recursive: true, force: true });
    await rm(hubRoot, { recursive: true, force: true });
  });

  it("names the bad refs, finishes the rest, and ends instead of waiting", async () => {
    const run = await runCli(["run", "--repo", swarm.dir, "--json"]);
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    const events = await readLatestRunEvents(swarm.dir);
    const skipped = events.filter((e) => e.type === "unschedulable");
    expect(skipped.map((e) => e.task).sort()).toEqual(GARBAGE);
    for (const id of GARBAGE)
      expect(String(skipped.find((e) => e.task === id)?.reason)).toContain(
        `refs/swarm/tasks/${id} locks/${id}.md:1:`,
      );
    expect(
      events
        .filter((e) => e.type === "done")
        .map((e) => e.task)
        .sort(),
    ).toEqual(["t01", "t02"]);
    const status = await runCli(["status", "--repo", swarm.dir]);
    expect(status.stderr).toMatch(
      /3 task ref\(s\) on the hub hold a malformed lock or marker/,
    );
    expect(status.stderr).toMatch(/refs\/swarm\/tasks\/t03 locks\/t03\.md:1:/);
    expect(status.stderr).not.toMatch(/the hub's main has/);
  }, 300_000);
});
