/**
 * Issue 23: the real gemini and codex CLIs (pinned devDependencies) priced from the models they
 * report, not from a guess. With no `model:` in the config each CLI picks its own default, which
 * the price table does not list: gitswarm reads the model from the CLI (gemini's per-model stats,
 * codex's session log), charges it at its vendor's highest rates (never $0) with the cached input
 * at the cached rate, and counts model requests; so a run budget stops gemini-cli.
 */
import { rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_PRICES, vendorMaxPrice } from "../../agents/spend/cost.js";
import {
  killEverything,
  startRun,
  type RunningSwarm,
} from "../runner/support/cli-run.js";
import {
  createSwarmRepo,
  makeTasks,
  type SwarmRepo,
} from "../runner/support/swarm-repo.js";
import { implText } from "../runner/support/task-model.js";
import {
  startCliVendor,
  type CliVendor,
  type CliVendorServer,
} from "./fixtures/cli-vendor-streams.js";
import { makeCliHome, probeCli, REAL_CLIS } from "./fixtures/real-clis.js";

const KEY = "sk-e2e-0123456789abcdef";
let cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function startPricedRun(
  vendor: CliVendor,
  options: { model?: string; tasks: number; budget?: string },
): Promise<{ run: RunningSwarm; server: CliVendorServer; repo: SwarmRepo }> {
  const server = await startCliVendor(vendor, {
    file: "impl/t01.txt",
    content: implText("t01"),
    final: "Wrote impl/t01.txt.",
  });
  const config = [
    "lease: 30s",
    "maxAttempts: 1",
    "agents:",
    `  - name: ${vendor}-real`,
    `    kind: ${vendor}`,
    ...(options.model !== undefined ? [`    model: ${options.model}`] : []),
    `    baseUrl: ${server.url}`,
    "    timeout: 2m",
    "",
  ].join("\n");
  const repo = await createSwarmRepo(makeTasks(options.tasks), config);
  const home = await makeCliHome();
  const run = startRun(
    repo.dir,
    { ...home.env, [REAL_CLIS[vendor].keyEnv]: KEY },
    options.budget !== undefined ? ["--budget", options.budget] : [],
  );
  cleanups.push(async () => {
    await killEverything(run, repo.dir);
    await server.close();
    await home.cleanup();
    await rm(repo.root, { recursive: true, force: true });
  });
  return { run, server, repo };
}

const modelCalls = (run: RunningSwarm) =>
  run.events.filter((e) => e.type === "model-call");

/** What the vendor's highest rates make of the scripted session (2700 fresh, 500 cached, 127 out). */
function atVendorMax(vendor: "google" | "openai"): number {
  const p = vendorMaxPrice(vendor, DEFAULT_PRICES);
  if (p === undefined) throw new Error(`no ${vendor} prices`);
  return (
    (2700 * p.inputPerMTok +
      500 * (p.cacheReadPerMTok ?? p.inputPerMTok) +
      127 * p.outputPerMTok) /
    1e6
  );
}

const probes = {
  "gemini-cli": await probeCli("gemini-cli"),
  codex: await probeCli("codex"),
};
const skipOf = (vendor: "gemini-cli" | "codex") => {
  const probe = probes[vendor];
  if (probe.ok) return false;
  console.warn(`skipping ${vendor}: ${probe.reason}`);
  return probe.reason;
};

describe("CLI runs priced from the models the CLI reports", () => {
  it.skipIf(skipOf("gemini-cli"))(
    "gemini-cli's own default model: priced at Google's highest rates (cache at the cached rate), never $0, so a run budget stops it",
    async () => {
      const { run, server } = await startPricedRun("gemini-cli", {
        tasks: 2,
        budget: "0.001",
      });
      const end = await run.waitFor(
        (e) => e.type === "run-end",
        110_000,
        "the run to end",
      );
      // The first CLI run spends past the budget and still lands; the second is refused unstarted.
      expect(end).toMatchObject({ state: "budget", tasksDone: 1 });
      expect(server.sent.calls).toBe(2);
      // The model the server was asked for is the model priced.
      const asked = server.requests
        .map((r) => /models\/([^:]+):stream/.exec(r.path)?.[1])
        .filter((m): m is string => m !== undefined);
      const main = modelCalls(run).find((e) => e.model === asked[0]);
      expect(main).toMatchObject({
        requests: 2,
        inputTokens: 3200,
        cacheReadTokens: 500,
        outputTokens: 127,
        priced: "vendor-max",
      });
      expect(main?.costUsd).toBeCloseTo(atVendorMax("google"), 5);
      // Every model of the run is its own event; none is free because it is unknown.
      for (const e of modelCalls(run))
        expect(e.priced === "vendor-max" || e.priced === "listed").toBe(true);
    },
    120_000,
  );

  it.skipIf(skipOf("codex"))(
    "codex's own default model, read from its session log: the model it asked for, 2 requests, cached input",
    async () => {
      const { run, server } = await startPricedRun("codex", { tasks: 1 });
      const end = await run.waitFor(
        (e) => e.type === "run-end",
        110_000,
        "the run to end",
      );
      expect(end).toMatchObject({ state: "finished", tasksDone: 1 });
      const asked = (server.requests[0]?.body as { model?: string }).model;
      const calls = modelCalls(run);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        model: asked,
        requests: 2,
        inputTokens: 3200,
        cacheReadTokens: 500,
        outputTokens: 127,
      });
      const cost = Number(calls[0]?.costUsd);
      expect(cost).toBeGreaterThan(0);
      if (calls[0]?.priced === "vendor-max")
        expect(cost).toBeCloseTo(atVendorMax("openai"), 5);
    },
    120_000,
  );
});
