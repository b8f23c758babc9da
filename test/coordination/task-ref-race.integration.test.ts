/**
 * The task-ref protocol under races and crashes, with real processes: a done racing a break and
 * two claims never yields two holders nor a done task claimed again; SIGKILL at any point of a
 * done or a break leaves the hub fsck-clean with main and the task ref moved together or not at
 * all, and nothing committed lost.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readTrailers } from "../../coordination/git/trailers.js";
import type { Git } from "../../coordination/git/git.js";
import { createSwarmFixture } from "../support/swarm-fixture.js";
import { soakSize } from "../support/soak-size.js";
import {
  killAllWorkers,
  startWorker,
  stopWorkers,
  waitForOrphans,
} from "../../scripts/bench/worker-pool.js";

afterAll(killAllWorkers);
const RACE_ROUNDS = soakSize(8, 3);
// Even rounds kill a done, odd ones a break.
const KILL_ROUNDS = soakSize(10, 4);

function progressWith(ids: string[]): string {
  return `# Progress\n\n## Tasks\n\n${ids.map((id) => `- [ ] ${id}: Task ${id}`).join("\n")}\n`;
}

interface RefState {
  sha: string;
  parents: string[];
  action: string;
  main?: string;
}

/** A task ref's history, oldest first (first parents only: a task ref never merges). */
async function refHistory(hub: Git, id: string): Promise<RefState[]> {
  const out = await hub.run([
    "log",
    "--reverse",
    "--format=%H%x1f%P%x1f%B%x1e",
    `refs/swarm/tasks/${id}`,
  ]);
  return out
    .split("\x1e")
    .map((r) => r.replace(/^\n/, ""))
    .filter((r) => r.trim() !== "")
    .map((r) => {
      const [sha = "", parents = "", message = ""] = r.split("\x1f");
      const t = readTrailers(message);
      return {
        sha,
        parents: parents.split(" ").filter(Boolean),
        action: t.get("Swarm-Action") ?? "",
        main: t.get("Swarm-Main"),
      };
    });
}

/** Done-commits for `id` on main. */
async function donesOnMain(hub: Git, id: string): Promise<string[]> {
  const out = await hub.run(["log", "--format=%H%x1f%B%x1e", "main"]);
  return out
    .split("\x1e")
    .map((r) => r.replace(/^\n/, "").split("\x1f"))
    .filter(([, m = ""]) => {
      const t = readTrailers(m);
      return t.get("Swarm-Action") === "done" && t.get("Swarm-Task") === id;
    })
    .map(([sha = ""]) => sha);
}

/** Never two holders, a done only on top of a lock and matching main, nothing after a done. */
async function expectSoundRef(hub: Git, id: string) {
  const history = await refHistory(hub, id);
  const dones = await donesOnMain(hub, id);
  history.forEach((state, i) => {
    const before = history[i - 1];
    expect(state.parents, `${id}: linear`).toEqual(before ? [before.sha] : []);
    // A claim sits on nothing or on an ended claim; an end sits on a lock.
    if (state.action === "claim")
      expect(before?.action ?? "none", `${id}: claim on a lock`).not.toBe(
        "claim",
      );
    else
      expect(before?.action, `${id}: ${state.action} without a lock`).toBe(
        "claim",
      );
    if (state.action === "done") {
      expect(i, `${id}: claimed again after done`).toBe(history.length - 1);
      expect(dones).toEqual([state.main]);
    }
  });
  if (!history.some((s) => s.action === "done")) expect(dones).toEqual([]);
  expect((await hub.tryRun(["fsck", "--no-dangling"])).ok).toBe(true);
  return history;
}

describe("a done racing a forced break and two claims", () => {
  it(`never two holders, never a done task claimed again, over ${RACE_ROUNDS} rounds`, async () => {
    const ids = Array.from({ length: RACE_ROUNDS }, (_, i) => `r${i}`);
    const swarm = await createSwarmFixture({
      "PROGRESS.md": progressWith(ids),
    });
    const names = ["holder", "breaker", "claimer-1", "claimer-2"];
    const clones = await Promise.all(names.map((n) => swarm.clone(n)));
    const [holder, breaker, c1, c2] = clones.map((ws, i) =>
      startWorker(ws.dir, names[i] ?? ""),
    );
    if (!holder || !breaker || !c1 || !c2) throw new Error("workers");
    try {
      const outcomes: string[] = [];
      for (const id of ids) {
        const claim = (await holder.send(`claim ${id}`)) as {
          outcome: string;
          lock: { claimId: string };
        };
        expect(claim.outcome).toBe("won");
        await Promise.all([breaker, c1, c2].map((w) => w.send("fetch")));
        const [done, broke, x, y] = await Promise.all([
          holder.send(`finish ${id} ${claim.lock.claimId}`),
          breaker.send(`force-break ${id}`),
          c1.send(`claim ${id}`),
          c2.send(`claim ${id}`),
        ]);
        outcomes.push(
          `${done.outcome}/${broke.outcome}/${x.outcome}/${y.outcome}`,
        );
        const history = await expectSoundRef(swarm.hub, id);
        // The hub decided one order; the answers agree with it.
        expect(done.outcome === "landed").toBe(
          history.some((s) => s.action === "done"),
        );
        expect(broke.outcome === "broken").toBe(
          history.some((s) => s.action === "break"),
        );
        const winners = [x, y].filter((r) => r.outcome === "won");
        expect(winners.length).toBeLessThanOrEqual(1);
        if (done.outcome === "landed") expect(winners).toEqual([]);
      }
      expect(outcomes).toHaveLength(ids.length);
    } finally {
      await stopWorkers([holder, breaker, c1, c2]);
      await swarm.cleanup();
    }
  }, 600_000);
});

describe("SIGKILL at any point of a done or a break", () => {
  it("main and the task ref move together or not at all; a new process completes the step", async () => {
    const ids = Array.from({ length: KILL_ROUNDS }, (_, i) => `k${i}`);
    const swarm = await createSwarmFixture({
      "PROGRESS.md": progressWith(ids),
    });
    const ws = await swarm.clone("victim");
    try {
      for (const [round, id] of ids.entries()) {
        const breaking = round % 2 === 1;
        const setup = startWorker(ws.dir, "victim");
        const claim = (await setup.send(`claim ${id}`)) as {
          lock: { claimId: string };
        };
        await stopWorkers([setup]);
        const mainBefore = (await swarm.hub.run(["rev-parse", "main"])).trim();
        const victim = startWorker(ws.dir, "victim");
        await victim.send("fetch");
        victim.process.stdin.write(
          breaking
            ? `force-break ${id}\n`
            : `finish ${id} ${claim.lock.claimId}\n`,
        );
        // Spread kill points over the whole step (reads, merge, commit building, atomic push).
        await new Promise((resolve) =>
          setTimeout(resolve, Math.floor((round * 400) / ids.length)),
        );
        victim.process.kill("SIGKILL");
        await new Promise((resolve) => victim.process.once("exit", resolve));
        await waitForOrphans([ws.dir, swarm.hubDir]);
        const history = await expectSoundRef(swarm.hub, id);
        const last = history.at(-1)?.action;
        const mainAfter = (await swarm.hub.run(["rev-parse", "main"])).trim();
        if (breaking) {
          expect(["claim", "break"]).toContain(last);
          expect(mainAfter).toBe(mainBefore);
        } else {
          expect(["claim", "done"]).toContain(last);
          expect(
            mainAfter === mainBefore,
            `round ${round}: task ref ends in ${last}, main ${mainBefore} -> ${mainAfter}: ${JSON.stringify(history)}; main: ${await swarm.hub.run(["log", "--format=%h %s", "-3", "main"])}`,
          ).toBe(last === "claim");
        }
        // The same clone, a new process: the step completes (or is found done).
        const survivor = startWorker(ws.dir, "victim");
        const again = await survivor.send(
          breaking ? `force-break ${id}` : `finish ${id} ${claim.lock.claimId}`,
        );
        await stopWorkers([survivor]);
        if (last === "claim")
          expect(again.outcome).toBe(breaking ? "broken" : "landed");
        const final = await expectSoundRef(swarm.hub, id);
        expect(final.at(-1)?.action).toBe(breaking ? "break" : "done");
      }
    } finally {
      await swarm.cleanup();
    }
  }, 600_000);
});
