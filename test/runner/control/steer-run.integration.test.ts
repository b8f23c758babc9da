/**
 * Issue 22: steering a live run from another terminal, through the run's control file. One real
 * run of two command agents (held mid-task by a gate file) is paused with `gitswarm pause`: each
 * finishes the task it is on and takes no new one. While it is paused, `gitswarm block` and
 * `gitswarm reopen` act on its real hub. `gitswarm resume` lets the agents go again; `gitswarm
 * agent stop` stops one holding a claim (the claim given back), `gitswarm agent restart` brings it
 * back to claim again, and the run finishes every task.
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../../coordination/git/git.js";
import { main } from "../../../runner/cli/main.js";
import {
  killEverything,
  startRun,
  type RunEvent,
  type RunningSwarm,
} from "../support/cli-run.js";
import {
  createCommandSwarm,
  type CommandSwarm,
} from "../support/command-swarm.js";

let swarm: CommandSwarm;
let run: RunningSwarm | undefined;
const WAIT = 90_000;

/** `gitswarm ARGS` in this process (the CLI's own code path): another terminal than the runner's. */
async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, "--repo", swarm.dir], {
    cwd: swarm.dir,
    env: { PATH: process.env.PATH ?? "" },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: false,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

const won = (e: RunEvent) =>
  e.type === "claim" && (e.outcome === "won" || e.outcome === "resumed");
const after = (time: number) => (e: RunEvent) =>
  Date.parse(String(e.time)) >= time;

async function hubProgress(): Promise<string> {
  return new Git(path.join(swarm.dir, ".gitswarm", "hub.git")).run([
    "show",
    "main:PROGRESS.md",
  ]);
}

beforeAll(async () => {
  swarm = await createCommandSwarm({ taskCount: 4, agents: 2, hold: true });
  run = startRun(swarm.dir, { PATH: process.env.PATH ?? "/usr/bin:/bin" });
  for (const agent of ["c1", "c2"])
    await run.waitFor(
      (e) => won(e) && e.agent === agent,
      WAIT,
      `${agent}'s first claim`,
    );
}, 120_000);

afterAll(async () => {
  await writeFile(swarm.gate, "").catch(() => undefined);
  await killEverything(run, swarm.dir);
  await rm(swarm.root, { recursive: true, force: true });
  await rm(swarm.scriptDir, { recursive: true, force: true });
});

describe("steering a live run from another terminal", () => {
  it("pauses: each agent finishes its task, then takes no new one", async () => {
    const paused = await cli(["pause", "--as", "ada"]);
    expect(paused).toMatchObject({ code: 0 });
    expect(paused.stdout).toContain("paused");
    await writeFile(swarm.gate, "");
    for (const agent of ["c1", "c2"]) {
      await run!.waitFor(
        (e) => e.type === "done" && e.agent === agent,
        WAIT,
        `${agent} finishes the task it was on`,
      );
      await run!.waitFor(
        (e) =>
          e.type === "agent-state" && e.agent === agent && e.state === "paused",
        WAIT,
        `${agent} waits, paused`,
      );
    }
    expect(run!.events.filter(won)).toHaveLength(2);
    expect(
      run!.events.some(
        (e) => e.type === "control" && e.action === "pause" && e.by === "ada",
      ),
    ).toBe(true);
  });

  it("blocks and reopens a task on the real hub with gitswarm block / reopen", async () => {
    const open = run!.events
      .filter((e) => e.type === "done")
      .map((e) => e.task);
    const idle = ["t01", "t02", "t03", "t04"].find((t) => !open.includes(t));
    const doneTask = String(open[0]);
    expect(idle).toBeDefined();
    const blocked = await cli([
      "block",
      idle!,
      "--reason",
      "waits for a product decision",
      "--as",
      "ada",
    ]);
    expect(blocked.code, blocked.stderr).toBe(0);
    expect(blocked.stdout).toContain(`blocked ${idle}`);
    expect(await hubProgress()).toContain(
      "blocked: waits for a product decision",
    );
    expect((await cli(["block", idle!, "--reason", "again"])).code).toBe(3);
    expect((await cli(["block", doneTask, "--reason", "too late"])).code).toBe(
      3,
    );
    expect((await cli(["block", idle!])).code).toBe(2);

    const reopened = await cli(["reopen", idle!, "--as", "ada", "--json"]);
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(JSON.parse(reopened.stdout)).toMatchObject({ outcome: "landed" });
    expect(await hubProgress()).not.toContain("product decision");
    const twice = await cli(["reopen", idle!]);
    expect(twice.code).toBe(3);
    expect(twice.stderr).toContain("not reopened");
  });

  it("resumes, stops an agent holding a claim, restarts it, and finishes", async () => {
    await rm(swarm.gate); // the next tasks are held again
    const resumedAt = Date.now();
    expect((await cli(["resume", "--as", "ada"])).code).toBe(0);
    const c2Claim = await run!.waitFor(
      (e) => won(e) && e.agent === "c2" && after(resumedAt)(e),
      WAIT,
      "c2 claims again after the resume",
    );
    // Nothing was claimed while the run was paused.
    expect(
      run!.events.filter(won).filter((e) => !after(resumedAt)(e)),
    ).toHaveLength(2);

    const bogus = await cli(["agent", "stop", "c9"]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain("c1, c2");
    expect((await cli(["agent", "stop", "c2", "--as", "ada"])).code).toBe(0);
    const released = await run!.waitFor(
      (e) => e.type === "released" && e.agent === "c2",
      WAIT,
      "c2 gives its claim back",
    );
    expect(released.task).toBe(c2Claim.task);
    expect(String(released.reason)).toContain("a user stopped this agent");
    await run!.waitFor(
      (e) =>
        e.type === "agent-state" &&
        e.agent === "c2" &&
        e.state === "stopped" &&
        e.reason === "stopped by ada",
      WAIT,
      "c2 stopped",
    );

    const restartedAt = Date.now();
    expect((await cli(["agent", "restart", "c2"])).code).toBe(0);
    await run!.waitFor(
      (e) => won(e) && e.agent === "c2" && after(restartedAt)(e),
      WAIT,
      "c2 claims again after its restart",
    );
    await writeFile(swarm.gate, "");
    const result = await run!.done;
    expect(result.exitCode).toBe(0);
    expect(run!.events.filter((e) => e.type === "done")).toHaveLength(4);
    const control = JSON.parse(
      await readFile(path.join(await latestRunDir(), "control.json"), "utf8"),
    ) as unknown;
    expect(control).toMatchObject({
      paused: false,
      agents: { c2: { stopped: false, restarts: 1 } },
    });
  });
});

async function latestRunDir(): Promise<string> {
  const runs = path.join(swarm.dir, ".gitswarm", "runs");
  return path.join(runs, (await readdir(runs)).sort().at(-1) ?? "");
}
