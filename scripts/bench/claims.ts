/**
 * Benchmark of the claim protocol on a local bare hub:
 *   (a) an uncontended `claimTask` (in-process, clone up to date) against the physical limit, a raw
 *       `git push` of a one-file commit to the same hub (target: within 1.5x), medians of each;
 *   (b) claims per second with 1, 4 and 16 racing agents on DISTINCT tasks, each a real OS process
 *       in its own clone claiming its own tasks (claims of different tasks touch different refs;
 *       target: 16 racers keep >= 0.7 of one racer's rate);
 *   (c) done-commits per second with 1, 4 and 16 agents each claiming and landing its own tasks on
 *       main (these do contend: every done moves main);
 *   (d) the same through the merge queue: the agents enqueue, one lander (in this process, no
 *       oracle, the default batch limits) lands them in batches, one push each (target: 16 agents
 *       land at least as many done-commits per second as 1).
 * Figures are measured and printed, never asserted. `GITSWARM_BENCH_CLAIMS` sets the tasks per
 * measurement (default 30).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { claimTask } from "../../coordination/protocol/claim.js";
import type { Git } from "../../coordination/git/git.js";
import { cloneWorkspace, createHub } from "../../coordination/git/hub.js";
import { agentIdentity, fetchMain } from "../../coordination/git/workspace.js";
import type { EventInput } from "../../coordination/base/events.js";
import { queueConfigSchema } from "../../runner/queue/config.js";
import { runLander } from "../../runner/queue/lander.js";
import { startWorker, stopWorkers } from "./worker-pool.js";

const RACERS = [1, 4, 16] as const;

/** Runs the claim benchmark and returns the lines to print. */
export async function benchClaims(): Promise<string[]> {
  const count = Math.max(
    3,
    Number(process.env.GITSWARM_BENCH_CLAIMS ?? 30) || 30,
  );
  const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-bench-claims-"));
  try {
    const lines = ["claims (local bare hub, locks on refs/swarm/tasks/<id>):"];
    const { claimMs, pushMs, spawnMs } = await uncontended(
      path.join(root, "solo"),
      count,
    );
    lines.push(
      `  uncontended claimTask median ${claimMs.toFixed(1)} ms vs raw git push median ${pushMs.toFixed(1)} ms: ` +
        `${(claimMs / pushMs).toFixed(2)}x the physical limit (target <= 1.5x; ${count} each)`,
    );
    lines.push(
      `  one trivial git spawn (rev-parse) median ${spawnMs.toFixed(1)} ms: a claim spawns git 3 times (cat-file, fast-import, push), a raw push once`,
    );
    const rates = new Map<number, number>();
    for (const racers of RACERS) {
      const { ms, done } = await racing(
        path.join(root, `race-${racers}`),
        racers,
        count,
        "claim-all",
      );
      rates.set(racers, (done * 1000) / ms);
      lines.push(
        `  ${String(racers).padStart(2)} racing agents on distinct tasks: ${done} claims in ${(ms / 1000).toFixed(2)} s = ${((done * 1000) / ms).toFixed(2)} claims/s`,
      );
    }
    const ratio = (rates.get(16) ?? 0) / (rates.get(1) ?? 1);
    lines.push(
      `  16 racers / 1 racer claims/s: ${ratio.toFixed(2)} (target >= 0.7)`,
    );
    for (const command of ["land-all", "queue-all"] as const) {
      const landRates = new Map<number, number>();
      for (const agents of RACERS) {
        const { ms, done, pushes } = await racing(
          path.join(root, `${command}-${agents}`),
          agents,
          count,
          command,
        );
        landRates.set(agents, (done * 1000) / ms);
        lines.push(
          `  ${String(agents).padStart(2)} agents landing on main${command === "queue-all" ? ` through the queue: ${pushes} landing pushes,` : ":"} ${done} done-commits in ${(ms / 1000).toFixed(2)} s = ${((done * 1000) / ms).toFixed(2)} done-commits/s`,
        );
      }
      const landRatio = (landRates.get(16) ?? 0) / (landRates.get(1) ?? 1);
      lines.push(
        `  16 / 1 agents done-commits/s${command === "queue-all" ? " through the queue" : ", each landing its own"}: ${landRatio.toFixed(2)}${command === "queue-all" ? " (target >= 1)" : ""}`,
      );
    }
    return lines;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** A hub seeded with `count` tasks; returns its directory. */
export async function seededHub(
  dir: string,
  count: number,
): Promise<{ hubDir: string; ids: string[] }> {
  const hubDir = path.join(dir, "hub.git");
  await createHub(hubDir);
  const ids = Array.from({ length: count }, (_, i) => `task-${i}`);
  const seed = await cloneWorkspace(hubDir, path.join(dir, "seed"), {
    identity: agentIdentity("seed"),
  });
  await writeFile(
    path.join(seed.dir, "PROGRESS.md"),
    `# Progress\n\n${ids.map((id) => `- [ ] ${id}: ${id}`).join("\n")}\n`,
  );
  await seed.git.run(["add", "PROGRESS.md"]);
  await seed.git.run(["commit", "--quiet", "-m", "seed"]);
  await seed.git.run(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
  return { hubDir, ids };
}

/** Alternates a timed claim and a timed raw push, each from an up-to-date clone of one hub. */
async function uncontended(
  dir: string,
  count: number,
): Promise<{ claimMs: number; pushMs: number; spawnMs: number }> {
  const { hubDir, ids } = await seededHub(dir, count);
  const agent = await cloneWorkspace(hubDir, path.join(dir, "agent"), {
    identity: agentIdentity("agent"),
  });
  const raw = await cloneWorkspace(hubDir, path.join(dir, "raw"), {
    identity: agentIdentity("raw"),
  });
  const claims: number[] = [];
  const pushes: number[] = [];
  const spawns: number[] = [];
  for (const [i, id] of ids.entries()) {
    await fetchMain(agent);
    let started = performance.now();
    const result = await claimTask(agent, {
      taskId: id,
      agent: "agent",
      leaseMs: 600_000,
    });
    claims.push(performance.now() - started);
    if (result.outcome !== "won")
      throw new Error(`bench claim of ${id} was ${result.outcome}`);
    await rawCommit(raw.git, i);
    started = performance.now();
    await raw.git.run(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
    pushes.push(performance.now() - started);
    started = performance.now();
    await raw.git.run(["rev-parse", "HEAD"]);
    spawns.push(performance.now() - started);
  }
  return {
    claimMs: median(claims),
    pushMs: median(pushes),
    spawnMs: median(spawns),
  };
}

/** The physical limit's commit, made with plain git commands on the hub's tip (not timed). */
async function rawCommit(git: Git, i: number): Promise<void> {
  await git.run(["pull", "--quiet", "--rebase", "origin", "main"]);
  await writeFile(path.join(git.dir, "raw.txt"), `push ${i}\n`);
  await git.run(["add", "raw.txt"]);
  await git.run(["commit", "--quiet", "-m", `raw ${i}`]);
}

/**
 * `racers` worker processes each claim (`claim-all`), claim and land (`land-all`), or claim and
 * enqueue (`queue-all`, with a lander landing them meanwhile) their own tasks, at least
 * `count / racers` and 4 each; wall time from "go" to the last answer, or to the last landing.
 */
async function racing(
  dir: string,
  racers: number,
  count: number,
  command: "claim-all" | "land-all" | "queue-all",
): Promise<{ ms: number; done: number; pushes: number }> {
  const each = Math.max(4, Math.ceil(count / racers));
  const { hubDir, ids } = await seededHub(dir, each * racers);
  const clones = await Promise.all(
    Array.from({ length: racers }, (_, i) =>
      cloneWorkspace(hubDir, path.join(dir, `agent-${i}`), {
        identity: agentIdentity(`agent-${i}`),
      }),
    ),
  );
  const workers = clones.map((ws, i) => startWorker(ws.dir, `agent-${i}`));
  const lander =
    command === "queue-all"
      ? await benchLander(hubDir, path.join(dir, "runner"), ids.length)
      : undefined;
  try {
    // Every process loaded and fetched before the clock starts: we time claims, not node startup.
    await Promise.all(workers.map((w) => w.send("fetch")));
    const started = performance.now();
    const landing = lander?.land();
    const answers = await Promise.all(
      workers.map((w, i) =>
        w.send(`${command} ${ids.slice(i * each, (i + 1) * each).join(",")}`),
      ),
    );
    const done = answers.flatMap(
      (a) => ((a.won ?? a.landed ?? a.queued) as string[] | undefined) ?? [],
    );
    if (new Set(done).size !== done.length)
      throw new Error(`a task was claimed twice: ${done.join(" ")}`);
    // The lander waits for every task: one that was never queued would keep it waiting.
    if (landing !== undefined && done.length !== ids.length) {
      lander?.stop();
      await landing.catch(() => undefined);
      throw new Error(`only ${done.length} of ${ids.length} tasks were queued`);
    }
    const landed = await landing;
    const ms = performance.now() - started;
    if (landed !== undefined && landed.tasks.length !== done.length)
      throw new Error(
        `the lander landed ${landed.tasks.length} of ${done.length} queued tasks`,
      );
    return { ms, done: done.length, pushes: landed?.pushes ?? done.length };
  } finally {
    lander?.stop();
    await stopWorkers(workers);
  }
}

/**
 * A lander on the hub at `hubDir`, run from the folder `dir` as `gitswarm land` would be: no
 * oracle, the default batch limits. `land()` resolves once `total` tasks landed.
 */
async function benchLander(hubDir: string, dir: string, total: number) {
  const home = await cloneWorkspace(hubDir, path.join(dir, "home"), {
    identity: agentIdentity("runner"),
  });
  const stop = new AbortController();
  const landed: string[] = [];
  let pushes = 0;
  const emit = (event: EventInput) => {
    if (event.type !== "queue" || event.phase !== "land") return;
    pushes += 1;
    landed.push(...(event.tasks ?? []));
  };
  return {
    async land(): Promise<{ tasks: string[]; pushes: number }> {
      const end = await runLander({
        home,
        repoDir: dir,
        limits: queueConfigSchema.parse({}).batch,
        maxAttempts: 3,
        leaseMs: 60_000,
        emit,
        signal: stop.signal,
        // Looks again every 20 ms until every task landed, then gives the lease back.
        idle: async () => {
          if (landed.length >= total) return false;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return !stop.signal.aborted;
        },
      });
      if (end.outcome === "busy")
        throw new Error(`the bench's lander found the queue busy`);
      return { tasks: landed, pushes };
    },
    stop: () => stop.abort(),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
