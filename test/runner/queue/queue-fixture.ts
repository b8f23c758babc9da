/**
 * A hub for merge-queue tests, built with real git: tasks whose own oracle case passes once their
 * `impl/<id>.txt` lands, a case `cases/base.case` that already passes (in the baseline), and agents
 * that claim a task, commit its work and enqueue it — optionally breaking the base case too (a
 * culprit). The lander runs in this process against the same hub.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { MERGE_ATTRIBUTES } from "../../../coordination/git/guard/merge-driver-setup.js";
import type { Workspace } from "../../../coordination/git/workspace.js";
import { claimTask } from "../../../coordination/protocol/claim.js";
import { enqueueWork } from "../../../coordination/queue/enqueue.js";
import type { EventInput } from "../../../coordination/base/events.js";
import { loadOracleConfig, type OracleConfig } from "../../../oracle/index.js";
import type { BatchLimits } from "../../../coordination/queue/plan.js";
import {
  runLander,
  type LanderEnd,
  type LanderOptions,
} from "../../../runner/queue/lander.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";
import { caseFiles, ORACLE_CONFIG, taskEntry } from "../support/swarm-repo.js";
import { implText } from "../support/task-model.js";

export interface QueueFixture extends SwarmFixture {
  /**
   * Claims `id` as `agent-<id>`, commits its work (plus `extra` files) and enqueues it; `parked`:
   * parks it for a human's approval instead, as the review gate does.
   */
  enqueue(
    id: string,
    extra?: Record<string, string>,
    parked?: boolean,
  ): Promise<Workspace>;
  /** Runs one lander from its own repo folder `name`; its events land in `events`. */
  land(
    name?: string,
    options?: {
      leaseMs?: number;
      signal?: AbortSignal;
      limits?: BatchLimits;
      idle?: LanderOptions["idle"];
      speculate?: boolean;
      arrivals?: LanderOptions["arrivals"];
      pollMs?: number;
      /** Changes the oracle config the lander loads (e.g. a candidate that waits for the test). */
      oracle?: (config: OracleConfig) => OracleConfig;
    },
  ): Promise<LanderEnd>;
  events: EventInput[];
}

/** Creates the hub with tasks `ids` (each with its own case). */
export async function createQueueFixture(ids: string[]): Promise<QueueFixture> {
  const tasks = ids.map((id) => ({ id, needs: [] }));
  const fixture = await createSwarmFixture({
    "PROGRESS.md": `# Progress\n\n## Tasks\n\n${tasks.map(taskEntry).join("")}`,
    "gitswarm.config.yaml": ORACLE_CONFIG,
    ".gitattributes": `${MERGE_ATTRIBUTES.join("\n")}\n`,
    "impl/base.txt": implText("base"),
    "oracle/baseline.json": `${JSON.stringify({ version: 1, passing: ["cases/base.case"] }, null, 2)}\n`,
    ...Object.assign({}, ...[...ids, "base"].map(caseFiles)),
  });
  const events: EventInput[] = [];
  const home = await fixture.clone("runner");
  // One clone serves every agent (a branch per task from the hub's main): clones are the slow part.
  const agents = await fixture.clone("agents");
  return {
    ...fixture,
    events,
    async enqueue(id, extra = {}, parked = false) {
      const agent = `agent-${id}`;
      const ws = agents;
      await ws.git.run(["fetch", "--quiet", "origin", "main"]);
      await ws.git.run([
        "checkout",
        "--quiet",
        "-B",
        `work-${id}`,
        "origin/main",
      ]);
      const claim = await claimTask(ws, { taskId: id, agent, leaseMs: 60_000 });
      if (claim.outcome !== "won")
        throw new Error(`claim ${id}: ${claim.outcome}`);
      for (const [name, content] of Object.entries({
        [`impl/${id}.txt`]: implText(id),
        ...extra,
      })) {
        await mkdir(path.dirname(path.join(ws.dir, name)), { recursive: true });
        await writeFile(path.join(ws.dir, name), content);
      }
      await ws.git.run(["add", "--all"]);
      await ws.git.run(["commit", "--quiet", "-m", `work: ${id}`]);
      const queued = await enqueueWork(ws, {
        taskId: id,
        agent,
        claimId: claim.lock.claimId,
        work: "HEAD",
        summary: `implemented ${id}`,
        ...(parked ? { hold: { hold: "approval", then: "queue" } } : {}),
      });
      if (queued.outcome !== "queued")
        throw new Error(`enqueue ${id}: ${queued.message}`);
      return ws;
    },
    async land(name = "r1", options = {}) {
      const repoDir = path.join(fixture.root, name);
      await mkdir(repoDir, { recursive: true });
      return runLander({
        home,
        repoDir,
        name: `lander-${name}`,
        loadOracle: async (dir) => {
          const config = await loadOracleConfig(dir);
          return options.oracle ? options.oracle(config) : config;
        },
        arrivals: options.arrivals,
        pollMs: options.pollMs,
        limits: options.limits ?? { min: 1, max: 8 },
        speculate: options.speculate ?? false,
        ...(options.idle === undefined ? {} : { idle: options.idle }),
        maxAttempts: 3,
        leaseMs: options.leaseMs ?? 60_000,
        emit: (event) => events.push(event),
        signal: options.signal ?? new AbortController().signal,
      });
    },
  };
}

/** The subjects of the hub's main, newest first, and whether `file` is on it. */
export async function mainSubjects(fixture: SwarmFixture): Promise<string[]> {
  return (await fixture.hub.run(["log", "--format=%s", "main"]))
    .split("\n")
    .filter(Boolean);
}

/** The task ids of main's done-commits, sorted. */
export async function landedOnMain(fixture: SwarmFixture): Promise<string[]> {
  return (await mainSubjects(fixture))
    .filter((s) => s.startsWith("done: "))
    .map((s) => s.split(" ")[1] ?? "")
    .sort();
}

/** The hub's queue refs. */
export async function queueRefs(fixture: SwarmFixture): Promise<string[]> {
  return (
    await fixture.hub.run([
      "for-each-ref",
      "--format=%(refname)",
      "refs/swarm/queue/",
    ])
  )
    .split("\n")
    .filter(Boolean);
}
