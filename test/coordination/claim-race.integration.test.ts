/**
 * Races with real OS processes on real clones: exactly one winner per task, every time; tasks with
 * dependencies finished exactly once and never before their dependencies; SIGKILL mid-claim leaves
 * the hub and the clone usable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLock } from "../../coordination/state/lock-file.js";
import { readTrailers } from "../../coordination/git/trailers.js";
import { runProcess, decode } from "../../coordination/base/spawn.js";
import { soakSize } from "../support/soak-size.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../support/swarm-fixture.js";
import {
  killAllWorkers,
  startWorker,
  stopWorkers,
  waitForOrphans,
  type Worker,
} from "../../scripts/bench/worker-pool.js";

afterAll(killAllWorkers);

const ROUNDS = soakSize(20, 6);
const RACERS = 16;
const LOOP_TASKS = soakSize(30, 14);
const KILL_POINTS = soakSize(12, 5);
const BIN = new URL("../../bin/gitswarm", import.meta.url).pathname;

function progressWith(
  ids: string[],
  needs: (id: string, i: number) => string[] = () => [],
): string {
  const items = ids.map((id, i) => {
    const deps = needs(id, i);
    return `- [ ] ${id}: Task ${id}${deps.length ? `\n  - needs: ${deps.join(", ")}` : ""}`;
  });
  return `# Progress\n\n## Tasks\n\n${items.join("\n")}\n`;
}

describe("claim races between real processes", () => {
  let swarm: SwarmFixture;
  let workers: Worker[] = [];
  const ids = Array.from(
    { length: ROUNDS },
    (_, i) => `task-${String(i).padStart(2, "0")}`,
  );

  beforeAll(async () => {
    swarm = await createSwarmFixture({
      "PROGRESS.md": progressWith([...ids, "cli-race"]),
    });
    const clones = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => swarm.clone(`racer-${i}`)),
    );
    workers = clones.map((ws, i) => startWorker(ws.dir, `racer-${i}`));
  });
  afterAll(async () => {
    await stopWorkers(workers);
    await swarm.cleanup();
  });

  it(`${RACERS} processes racing for the same task: exactly one winner, ${ROUNDS} rounds out of ${ROUNDS}`, async () => {
    for (const id of ids) {
      // Everyone reads the same tip first, so every push in the round races for the same ref.
      await Promise.all(workers.map((w) => w.send("fetch")));
      const results = await Promise.all(
        workers.map((w) => w.send(`claim ${id}`)),
      );
      const winners = results.flatMap((r, i) =>
        r.outcome === "won" ? [{ agent: workers[i]?.agent, result: r }] : [],
      );
      expect(
        winners,
        `round ${id}: ${JSON.stringify(results.map((r) => r.outcome ?? r.error))}`,
      ).toHaveLength(1);
      expect(
        results.filter((r) => r.outcome === "refused" && r.reason === "held"),
      ).toHaveLength(RACERS - 1);
      const lock = parseLock(
        await swarm.hub.run(["show", `refs/swarm/tasks/${id}:locks/${id}.md`]),
      );
      const winner = winners[0]?.result as { lock: { claimId: string } };
      expect(lock.ok && [lock.lock.agent, lock.lock.claimId]).toEqual([
        winners[0]?.agent,
        winner.lock.claimId,
      ]);
    }
    const refs = (
      await swarm.hub.run([
        "for-each-ref",
        "--format=%(refname)",
        "refs/swarm/tasks/",
      ])
    )
      .trim()
      .split("\n");
    expect(refs).toEqual(ids.map((id) => `refs/swarm/tasks/${id}`));
    for (const id of ids) {
      // Exactly one claim commit per task: every loser's push was refused by the hub.
      const log = await swarm.hub.run([
        "log",
        "--format=%s",
        `refs/swarm/tasks/${id}`,
      ]);
      expect(log.trim().split("\n")).toEqual([
        expect.stringMatching(new RegExp(`^claim: ${id} \\(racer-\\d+\\)$`)),
      ]);
    }
    // Claims add nothing to main.
    expect((await swarm.hub.run(["log", "--format=%s", "main"])).trim()).toBe(
      "seed",
    );
  }, 300_000);

  it("the CLI: 16 `gitswarm claim` processes at once give one exit 0 and fifteen exit 3", async () => {
    const clones = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => swarm.clone(`cli-${i}`)),
    );
    const runs = await Promise.all(
      clones.map((ws, i) =>
        runProcess(
          process.execPath,
          [BIN, "claim", "cli-race", "--as", `cli-${i}`, "--repo", ws.dir],
          { cwd: ws.dir, timeoutMs: 90_000 },
        ),
      ),
    );
    const codes = runs.map((r) => r.exitCode).sort();
    expect(codes, runs.map((r) => decode(r.stderr)).join("\n")).toEqual([
      0,
      ...Array<number>(RACERS - 1).fill(3),
    ]);
    const winner = runs.findIndex((r) => r.exitCode === 0);
    const lock = parseLock(
      await swarm.hub.run([
        "show",
        "refs/swarm/tasks/cli-race:locks/cli-race.md",
      ]),
    );
    expect(lock.ok && lock.lock.agent).toBe(`cli-${winner}`);
  }, 300_000);
});

describe("agents looping claim → done over tasks with dependencies", () => {
  it(`8 processes finish ${LOOP_TASKS} tasks, each exactly once, never before its dependencies`, async () => {
    const ids = Array.from(
      { length: LOOP_TASKS },
      (_, i) => `t${String(i).padStart(2, "0")}`,
    );
    // A layered graph: task i needs i-3 and i-7 when they exist.
    const needs = (_: string, i: number) =>
      [i - 3, i - 7].filter((j) => j >= 0).map((j) => ids[j] ?? "");
    const swarm = await createSwarmFixture({
      "PROGRESS.md": progressWith(ids, needs),
    });
    const clones = await Promise.all(
      Array.from({ length: 8 }, (_, i) => swarm.clone(`looper-${i}`)),
    );
    const workers = clones.map((ws, i) => startWorker(ws.dir, `looper-${i}`));
    try {
      const results = await Promise.all(workers.map((w) => w.send("loop")));
      const doneByWorkers = results.flatMap(
        (r) => (r.done as string[] | undefined) ?? [],
      );
      expect(results.filter((r) => r.error)).toEqual([]);
      expect(doneByWorkers.sort()).toEqual(ids);
      // History, oldest first: each task is done once, after every task it needs.
      const log = await swarm.hub.run([
        "log",
        "--reverse",
        "--format=%B%x00",
        "main",
      ]);
      const doneOrder = log
        .split("\0")
        .map((message) => readTrailers(message.trim()))
        .filter((t) => t.get("Swarm-Action") === "done")
        .map((t) => t.get("Swarm-Task") ?? "");
      expect([...doneOrder].sort()).toEqual(ids);
      ids.forEach((id, i) => {
        for (const need of needs(id, i))
          expect(doneOrder.indexOf(need), `${need} before ${id}`).toBeLessThan(
            doneOrder.indexOf(id),
          );
      });
      const files = (
        await swarm.hub.run(["ls-tree", "-r", "--name-only", "main"])
      )
        .trim()
        .split("\n");
      expect(files.filter((f) => f.startsWith("locks/"))).toEqual([]);
      expect(files.filter((f) => f.startsWith("work/"))).toHaveLength(
        LOOP_TASKS,
      );
      // Main carries only work: the seed and one done-commit per task.
      expect(
        (await swarm.hub.run(["log", "--format=%s", "main"]))
          .trim()
          .split("\n")
          .filter((subject) => !subject.startsWith("done: ")),
      ).toEqual(["seed"]);
      // Each task ref ends in one done marker naming a commit on main, its only done.
      for (const id of ids) {
        const ref = `refs/swarm/tasks/${id}`;
        const actions = (await swarm.hub.run(["log", "--format=%B%x00", ref]))
          .split("\0")
          .map((m) => readTrailers(m.trim()))
          .filter((t) => t.size > 0);
        expect(actions.map((t) => t.get("Swarm-Action"))).toEqual([
          "done",
          "claim",
        ]);
        const main = actions[0]?.get("Swarm-Main") ?? "";
        expect(
          (
            await swarm.hub.tryRun([
              "merge-base",
              "--is-ancestor",
              main,
              "main",
            ])
          ).ok,
        ).toBe(true);
      }
      expect(await swarm.hub.run(["show", "main:PROGRESS.md"])).toBe(
        progressWith(ids, needs).replaceAll("- [ ]", "- [x]"),
      );
    } finally {
      await stopWorkers(workers);
      await swarm.cleanup();
    }
  }, 300_000);
});

describe("SIGKILL at any point of a claim", () => {
  it(`leaves no half-written lock on the hub and the clone usable, over ${KILL_POINTS} kill points`, async () => {
    const ids = Array.from({ length: KILL_POINTS }, (_, i) => `k${i}`);
    const swarm = await createSwarmFixture({
      "PROGRESS.md": progressWith(ids),
    });
    const ws = await swarm.clone("victim");
    try {
      for (const [round, id] of ids.entries()) {
        const victim = startWorker(ws.dir, "victim");
        await victim.send("fetch");
        victim.process.stdin.write(`claim ${id}\n`);
        // Spread kill points over the whole claim (reads, commit building, push, ref update).
        await new Promise((resolve) =>
          setTimeout(resolve, Math.floor((round * 120) / ids.length)),
        );
        victim.process.kill("SIGKILL");
        await new Promise((resolve) => victim.process.once("exit", resolve));
        await waitForOrphans([ws.dir, swarm.hubDir]);
        expect((await swarm.hub.tryRun(["fsck", "--no-dangling"])).ok).toBe(
          true,
        );
        // Either no ref, or a whole lock: never a half state; main never moves.
        const lock = await swarm.hub.tryRun([
          "show",
          `refs/swarm/tasks/${id}:locks/${id}.md`,
        ]);
        if (lock.ok) expect(parseLock(lock.stdout).ok).toBe(true);
        else
          expect(
            (
              await swarm.hub.tryRun([
                "rev-parse",
                "--verify",
                "--quiet",
                `refs/swarm/tasks/${id}`,
              ])
            ).ok,
          ).toBe(false);
        expect(
          (await swarm.hub.run(["log", "--format=%s", "main"])).trim(),
        ).toBe("seed");
        // The same clone, a new process: the claim completes (or is found already ours).
        const survivor = startWorker(ws.dir, "victim");
        const result = await survivor.send(`claim ${id}`);
        await stopWorkers([survivor]);
        expect(["won", "resumed"]).toContain(result.outcome);
        const after = parseLock(
          await swarm.hub.run([
            "show",
            `refs/swarm/tasks/${id}:locks/${id}.md`,
          ]),
        );
        expect(after.ok && after.lock.agent).toBe("victim");
      }
    } finally {
      await swarm.cleanup();
    }
  }, 300_000);
});
