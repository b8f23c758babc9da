/**
 * Issue 19 item 5: garbage on three task refs used to wedge the run forever, silently (a malformed
 * lock never expires). Now the run names each bad ref at the start, skips those tasks, finishes
 * the others, and ends (exit 1: tasks left undone) instead of waiting; `status` names the refs.
 * Two more refs hold what a lock parser alone would take: a valid lock beside a second file (a lock
 * commit holds exactly one file) and a multi-MB lock blob (refused by its size, never read whole).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../../coordination/git/git.js";
import { agentIdentity } from "../../../coordination/git/workspace.js";
import { renderLock } from "../../../coordination/state/lock-file.js";
import { runCli } from "../support/cli-run.js";
import {
  createCommandSwarm,
  readLatestRunEvents,
  type CommandSwarm,
} from "../support/command-swarm.js";

const GARBAGE = ["t03", "t04", "t05"];
/** A live lock (an hour's lease) beside a second file: only the one-file rule stops it. */
const TWO_FILES = "t06";
/** A lock blob of this many MiB: refused by its size. */
const BIG = "t07";
const BIG_MB = Number(process.env.GITSWARM_TEST_BIG_REF_MB ?? 3);

describe("garbage on task refs", () => {
  let swarm: CommandSwarm;
  let hubRoot: string;

  beforeAll(async () => {
    hubRoot = await mkdtemp(path.join(os.tmpdir(), "gitswarm-garbage-hub-"));
    const hub = path.join(hubRoot, "hub.git");
    swarm = await createCommandSwarm({
      taskCount: 7,
      agents: 2,
      config: `hub:\n  url: ${hub}\n`,
    });
    await new Git(hubRoot).run(["init", "--quiet", "--bare", hub]);
    await swarm.git.run(["push", "--quiet", hub, "main:main"]);
    // Each ref: a commit of `files` (one level of folders), pushed as the task's ref.
    const git = new Git(swarm.dir, agentIdentity("vandal"));
    const pushTree = async (id: string, files: Record<string, string>) => {
      const blobs = await Promise.all(
        Object.values(files).map(async (content) =>
          (
            await git.run(["hash-object", "-w", "--stdin"], { input: content })
          ).trim(),
        ),
      );
      // mktree writes one folder: each sub-folder's tree first, then the root's.
      const folders = new Map<string, string[]>();
      Object.keys(files).forEach((file, i) => {
        const [dir, name] = file.includes("/") ? file.split("/") : ["", file];
        folders.set(dir!, [
          ...(folders.get(dir!) ?? []),
          `100644 blob ${blobs[i]}\t${name}\n`,
        ]);
      });
      const root = folders.get("") ?? [];
      for (const [dir, lines] of folders)
        if (dir !== "")
          root.push(
            `040000 tree ${(await git.run(["mktree"], { input: lines.join("") })).trim()}\t${dir}\n`,
          );
      const tree = (await git.run(["mktree"], { input: root.join("") })).trim();
      const commit = (
        await git.run(["commit-tree", tree, "-m", "garbage"])
      ).trim();
      await git.run([
        "push",
        "--quiet",
        hub,
        `${commit}:refs/swarm/tasks/${id}`,
      ]);
    };
    // A locks/<id>.md that is no lock at all.
    for (const id of GARBAGE)
      await pushTree(id, { [`locks/${id}.md`]: `this is not a lock ${id}\n` });
    const now = Date.now();
    await pushTree(TWO_FILES, {
      [`locks/${TWO_FILES}.md`]: renderLock({
        task: TWO_FILES,
        agent: "vandal",
        host: "elsewhere",
        claimId: "0123456789abcdef",
        claimedAt: new Date(now).toISOString(),
        leaseUntil: new Date(now + 3_600_000).toISOString(),
        branch: `swarm/vandal/${TWO_FILES}`,
        attempt: 1,
        plan: "",
      }),
      "notes.txt": "not part of any lock\n",
    });
    await pushTree(BIG, {
      [`locks/${BIG}.md`]: "x".repeat(BIG_MB * 1024 * 1024),
    });
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
    expect(skipped.map((e) => e.task).sort()).toEqual([
      ...GARBAGE,
      TWO_FILES,
      BIG,
    ]);
    // A locks/<id>.md that is no lock at all.
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
      /5 task ref\(s\) on the hub hold a malformed lock or marker/,
    );
    expect(status.stderr).toContain(
      `refs/swarm/tasks/${TWO_FILES} locks/${TWO_FILES}.md:1: a lock commit holds exactly one file, locks/${TWO_FILES}.md; this one also holds notes.txt`,
    );
    expect(status.stderr).toContain(
      `refs/swarm/tasks/${BIG} locks/${BIG}.md:1: locks/${BIG}.md is ${BIG_MB * 1024 * 1024} bytes, over the 65536-byte limit`,
    );
    expect(status.stderr).toMatch(/refs\/swarm\/tasks\/t03 locks\/t03\.md:1:/);
    expect(status.stderr).not.toMatch(/the hub's main has/);
  }, 300_000);
});
