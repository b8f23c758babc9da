/**
 * Analytics over a hub written by the real protocol: `gitswarm claim` and `gitswarm release`
 * (--done, a plain release, --blocked) through the CLI, then the hub and an agent's clone analysed.
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandIo } from "../../../runner/cli/command.js";
import { main } from "../../../runner/cli/main.js";
import { analyzeRepository } from "../../../scripts/analytics/index.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";
import type { Workspace } from "../../../coordination/git/workspace.js";

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const io: CommandIo = {
    cwd: os.tmpdir(),
    env: process.env,
    stdout: (t) => (out += t),
    stderr: (t) => (out += t),
    isTty: false,
    signal: new AbortController().signal,
  };
  const code = await main(args, io);
  return { code, out };
}

let fx: SwarmFixture;
let alice: Workspace;
let bob: Workspace;

async function ok(args: string[]): Promise<void> {
  const result = await cli(args);
  expect(result.code, `${args.join(" ")}: ${result.out}`).toBe(0);
}

beforeAll(async () => {
  fx = await createSwarmFixture({
    "PROGRESS.md":
      "# Progress\n\n## Tasks\n\n- [ ] a: Do a\n- [ ] b: Do b\n- [ ] c: Do c\n",
  });
  alice = await fx.clone("alice");
  bob = await fx.clone("bob");
  // alice: claims a and lands it.
  await ok(["claim", "a", "--as", "alice", "--repo", alice.dir]);
  await writeFile(path.join(alice.dir, "a.txt"), "a\n");
  await alice.git.run(["add", "a.txt"]);
  await alice.git.run(["commit", "-q", "-m", "work on a"]);
  await ok(["release", "a", "--as", "alice", "--done", "--repo", alice.dir]);
  // bob: claims b, gives it back, claims it again and gives up (blocked).
  await ok(["claim", "b", "--as", "bob", "--repo", bob.dir]);
  await ok([
    "release",
    "b",
    "--as",
    "bob",
    "--reason",
    "later",
    "--repo",
    bob.dir,
  ]);
  await ok(["claim", "b", "--as", "bob", "--repo", bob.dir]);
  await ok([
    "release",
    "b",
    "--as",
    "bob",
    "--blocked",
    "--reason",
    "no spec",
    "--repo",
    bob.dir,
  ]);
  // alice holds c at the end.
  await ok(["claim", "c", "--as", "alice", "--repo", alice.dir]);
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe("analytics over a hub the CLI wrote", () => {
  it("puts no claim on main and counts the coordination on the task refs", async () => {
    const report = await analyzeRepository({ repoDir: fx.hubDir, ref: "main" });
    // main: the seed, a's done commit, b's block commit.
    expect(report.commits).toBe(3);
    expect(report.byClass.claim.commits).toBe(0);
    expect(report.byClass.done.commits).toBe(1);
    expect(report.byClass.block.commits).toBe(1);
    expect(report.coordinationTax.commitShare).toBe(1 / 3);
    expect(report.taskRefs).toMatchObject({
      refs: 3,
      commits: 7,
      coordinationCommits: 6,
      byAction: {
        claims: 4,
        releases: 1,
        breaks: 0,
        done: 1,
        blocks: 1,
        other: 0,
      },
      doneTasks: 1,
      coordinationPerDoneTask: 6,
    });
    expect(report.holdTimes).toMatchObject({ count: 3, open: 1 });
    expect(report.claimToDone.count).toBe(1);
    // bob claimed b again after releasing it: a retry, not duplicate work.
    expect(report.duplicates.tasks).toEqual([]);
    const claims = Object.fromEntries(
      report.agents.map((a) => [a.agent, a.claims]),
    );
    expect(claims).toMatchObject({ alice: 2, bob: 2 });
  });

  it("finds the same task refs mirrored in an agent's clone", async () => {
    await alice.git.run([
      "fetch",
      "-q",
      "origin",
      "+refs/swarm/tasks/*:refs/gitswarm/origin/tasks/*",
    ]);
    const report = await analyzeRepository({
      repoDir: alice.dir,
      ref: "origin/main",
    });
    expect(report.taskRefs.pattern).toBe("refs/gitswarm/origin/tasks/*");
    expect(report.taskRefs.coordinationCommits).toBe(6);
    expect(report.holdTimes.count).toBe(3);
  });
});
