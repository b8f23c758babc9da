/**
 * Issue 24's first scenario: two checkouts of one hub with the same config (agents `bot` × 2) run
 * `gitswarm run` at once. Every task is worked exactly once (agent invocations counted, not only
 * check-offs) and both runners exit 0. The same rule for the CLI: `claim --as bot` from another
 * clone does not resume a claim it did not make, and says what to do instead.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  killEverything,
  runCli,
  startRun,
  type RunningSwarm,
} from "../support/cli-run.js";
import { createFleet, doneOnHub, workedOnce } from "./support/fleet-fixture.js";

const TASKS = Number(process.env.GITSWARM_FLEET_TASKS ?? 6);
const MINUTE = 60_000;

describe("two runners with the same agent names on one hub", () => {
  const runs: { run: RunningSwarm; dir: string }[] = [];
  afterAll(async () => {
    for (const { run, dir } of runs) await killEverything(run, dir);
  });

  it(
    `work ${TASKS} tasks with ${TASKS} agent runs; both exit 0`,
    async () => {
      const fleet = await createFleet({ tasks: TASKS, agents: 2 });
      const a = await fleet.checkout("a");
      const b = await fleet.checkout("b");
      for (const dir of [a, b]) runs.push({ run: startRun(dir, {}), dir });
      const ends = await Promise.all(runs.map(({ run }) => run.done));
      for (const [i, end] of ends.entries())
        expect(
          end.exitCode,
          JSON.stringify(runs[i]?.run.events.slice(-6)),
        ).toBe(0);
      const seen = await fleet.invocations();
      expect(workedOnce(fleet.taskIds, seen)).toEqual({ twice: [], never: [] });
      expect(seen).toHaveLength(TASKS);
      expect((await doneOnHub(fleet.hubDir)).sort()).toEqual(fleet.taskIds);
      const resumed = runs.flatMap(({ run }) =>
        run.events.filter((e) => e.type === "claim" && e.outcome === "resumed"),
      );
      expect(resumed).toEqual([]);
      // The fleet view: both runners announced themselves on the hub and said goodbye.
      const status = await runCli(["status", "--json", "--repo", a]);
      const { runners } = JSON.parse(status.stdout) as {
        runners: { id: string; agents: string[]; status: string }[];
      };
      expect(runners).toHaveLength(2);
      expect(new Set(runners.map((r) => r.id)).size).toBe(2);
      for (const r of runners) {
        expect(r.agents).toEqual(["bot-1", "bot-2"]);
        expect(r.status).toBe("stopped");
      }
    },
    6 * MINUTE,
  );
});

describe("gitswarm claim --as bot from two clones", () => {
  it(
    "the second clone is refused (exit 3) with what to do, for claim, heartbeat and release; --resume CLAIM-ID takes the claim over and fences the first",
    async () => {
      const fleet = await createFleet({ tasks: 1, agents: 1 });
      const a = await fleet.checkout("a");
      const b = await fleet.checkout("b");
      const claim = (dir: string, ...more: string[]) =>
        runCli(["claim", "t01", "--as", "bot", "--repo", dir, ...more]);
      const first = await claim(a, "--json");
      expect(first.code, first.stderr).toBe(0);
      const claimId = (
        JSON.parse(first.stdout) as { lock: { claimId: string } }
      ).lock.claimId;
      expect((await claim(a)).stdout).toContain("resuming");

      const second = await claim(b);
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/held by bot@\S+/);
      expect(second.stderr).toContain("gitswarm locks break t01");
      expect(second.stderr).toContain(`--resume ${claimId}`);

      // Heartbeat and release by name from b are refused as well: the lock is a's runner's.
      const beat = await runCli([
        "heartbeat",
        "t01",
        "--as",
        "bot",
        "--repo",
        b,
      ]);
      expect(beat.code, beat.stderr).toBe(3);
      expect(beat.stderr).toContain(`--claim ${claimId}`);
      const release = await runCli([
        "release",
        "t01",
        "--as",
        "bot",
        "--repo",
        b,
      ]);
      expect(release.code, release.stderr).toBe(3);
      expect(release.stderr).toContain("of runner");

      const taken = await claim(b, "--resume", claimId);
      expect(taken.code, taken.stderr).toBe(0);
      // The lock is b's now: a is held out, b resumes it plainly.
      expect((await claim(a)).code).toBe(3);
      expect((await claim(b)).code).toBe(0);
    },
    2 * MINUTE,
  );
});
