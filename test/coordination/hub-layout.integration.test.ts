/**
 * Hubs gitswarm must not run on as they are: one of the previous layout (locks/ on main) is named
 * with what to do, and `gitswarm locks migrate` moves its live locks to task refs keeping every
 * claim; one without atomic push is refused at set-up.
 */
import { afterEach, describe, expect, it } from "vitest";
import { claimTask } from "../../coordination/protocol/claim.js";
import { checkHubLayout } from "../../coordination/state/hub-layout.js";
import { renderLock, type Lock } from "../../coordination/state/lock-file.js";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import {
  createSwarmFixture,
  hubMain,
  hubTask,
  type SwarmFixture,
} from "../support/swarm-fixture.js";

const BIN = new URL("../../bin/gitswarm", import.meta.url).pathname;
const PROGRESS = `# Progress\n\n## Tasks\n\n- [ ] alpha: First\n- [ ] beta: Second\n- [ ] gamma: Third\n`;

function heldBy(task: string, agent: string): Lock {
  const now = Date.now();
  return {
    task,
    agent,
    host: "box",
    claimId: `${task}-claim-0001`,
    claimedAt: new Date(now - 60_000).toISOString(),
    leaseUntil: new Date(now + 3_600_000).toISOString(),
    branch: `swarm/${agent}/${task}`,
    attempt: 1,
    plan: "",
  };
}

async function gitswarm(ws: Workspace, ...args: string[]) {
  const run = await runProcess(
    process.execPath,
    [BIN, ...args, "--repo", ws.dir],
    { cwd: ws.dir, timeoutMs: 90_000 },
  );
  return {
    code: run.exitCode,
    stdout: decode(run.stdout),
    stderr: decode(run.stderr),
  };
}

let swarm: SwarmFixture;
afterEach(() => swarm.cleanup());

describe("a hub of the previous layout (locks/ on main)", () => {
  it("is named with what to do; `locks migrate` moves its locks to task refs without losing a claim", async () => {
    const locks = {
      alpha: heldBy("alpha", "bob"),
      beta: heldBy("beta", "carol"),
    };
    swarm = await createSwarmFixture({
      "PROGRESS.md": PROGRESS,
      "locks/alpha.md": renderLock(locks.alpha),
      "locks/beta.md": renderLock(locks.beta),
    });
    const ws = await swarm.clone("me");
    await expect(checkHubLayout(ws)).rejects.toThrow(
      /previous layout .*gitswarm locks migrate/,
    );
    const status = await gitswarm(ws, "status");
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(
      /locks\/alpha\.md:1: .*gitswarm locks migrate/,
    );

    const migrated = await gitswarm(ws, "locks", "migrate", "--as", "me");
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain(
      "moved 2 lock(s) to task refs (alpha, beta)",
    );
    const main = await hubMain(swarm.hub);
    expect(main.files).toEqual(["PROGRESS.md"]);
    expect(main.subjects[0]).toBe(
      "migrate: 2 lock(s) from locks/ to task refs",
    );
    for (const task of ["alpha", "beta"] as const) {
      const ref = await hubTask(swarm.hub, task);
      expect(ref.files).toEqual([`locks/${task}.md`]);
      expect(ref.text).toBe(renderLock(locks[task]));
    }
    // Every claim survived: the holder resumes, anyone else is refused.
    const bob = await swarm.clone("bob");
    expect(
      await claimTask(bob, { taskId: "alpha", agent: "bob", leaseMs: 60_000 }),
    ).toMatchObject({
      outcome: "resumed",
      lock: { claimId: "alpha-claim-0001" },
    });
    expect(
      await claimTask(ws, { taskId: "beta", agent: "me", leaseMs: 60_000 }),
    ).toMatchObject({ outcome: "refused", reason: "held" });
    await expect(checkHubLayout(ws)).resolves.toBeUndefined();
    expect(
      (await gitswarm(ws, "locks", "migrate", "--as", "me")).stdout,
    ).toContain("nothing to migrate");
  }, 180_000);
});

describe("a hub without atomic push", () => {
  it("is refused at set-up, saying why and what to change", async () => {
    swarm = await createSwarmFixture({ "PROGRESS.md": PROGRESS });
    await swarm.hub.run(["config", "receive.advertiseAtomic", "false"]);
    const ws = await swarm.clone("me");
    await expect(checkHubLayout(ws)).rejects.toThrow(
      /does not support atomic pushes .*receive\.advertiseAtomic/,
    );
    await swarm.hub.run(["config", "receive.advertiseAtomic", "true"]);
    await expect(checkHubLayout(ws)).resolves.toBeUndefined();
  }, 60_000);
});

describe("gitswarm claim on a hub of the task-ref layout", () => {
  it("adds no commit to main; `locks --json` shows the lock", async () => {
    swarm = await createSwarmFixture({ "PROGRESS.md": PROGRESS });
    const ws = await swarm.clone("me");
    const before = (await swarm.hub.run(["rev-parse", "main"])).trim();
    const claimed = await gitswarm(ws, "claim", "gamma", "--as", "me");
    expect(claimed.code, claimed.stderr).toBe(0);
    expect((await swarm.hub.run(["rev-parse", "main"])).trim()).toBe(before);
    const locks = await gitswarm(ws, "locks", "--json");
    expect(locks.code, locks.stderr).toBe(0);
    expect(JSON.parse(locks.stdout)).toEqual([
      expect.objectContaining({ task: "gamma", agent: "me", state: "live" }),
    ]);
  }, 120_000);
});
