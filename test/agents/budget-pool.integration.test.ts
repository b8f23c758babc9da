/**
 * Issue 14: `--budget` is one pool for the run, shared by agent processes (real OS processes on
 * one file), reserved per call: a busy agent may spend what idle ones leave, and the run
 * overshoots by at most one call in flight per agent.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import { decideReservation } from "../../agents/spend/budget-pool.js";
import { makeTempDir } from "../support/temp-dir.js";

const WORKER = fileURLToPath(
  new URL("../support/budget-worker.ts", import.meta.url),
);
const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

interface WorkerResult {
  agent: string;
  calls: number;
  spentUsd: number;
}

async function runAgents(
  file: string,
  limit: number,
  agents: { name: string; calls: number; expected: number; actual: number }[],
): Promise<WorkerResult[]> {
  return Promise.all(
    agents.map(async (a) => {
      const result = await runProcess(
        process.execPath,
        [
          ...["--import", "tsx", WORKER, file, a.name, String(limit)],
          ...[String(a.calls), String(a.expected), String(a.actual)],
        ],
        { cwd: PROJECT_DIR, timeoutMs: 120_000 },
      );
      expect(result.exitCode, decode(result.stderr)).toBe(0);
      return JSON.parse(decode(result.stdout)) as WorkerResult;
    }),
  );
}

const sum = (results: WorkerResult[]) =>
  results.reduce((total, r) => total + r.spentUsd, 0);

describe("the run's budget pool", () => {
  it("lets a busy agent spend what idle agents leave, never past the limit when estimates hold", async () => {
    const file = path.join(
      await makeTempDir("gitswarm-budget-"),
      "budget.json",
    );
    const results = await runAgents(file, 1, [
      { name: "busy", calls: 40, expected: 0.05, actual: 0.05 },
      { name: "idle-1", calls: 1, expected: 0.05, actual: 0.05 },
      { name: "idle-2", calls: 1, expected: 0.05, actual: 0.05 },
    ]);
    const busy = results.find((r) => r.agent === "busy");
    // An even split would have stopped it at a third of the budget.
    expect(busy?.spentUsd).toBeGreaterThanOrEqual(0.85 - 1e-9);
    expect(sum(results)).toBeLessThanOrEqual(1 + 1e-9);
    expect(sum(results)).toBeGreaterThanOrEqual(1 - 1e-9);
    const state = JSON.parse(await readFile(file, "utf8")) as {
      spentUsd: number;
      reserved: Record<string, number>;
    };
    expect(state.reserved).toEqual({});
    expect(state.spentUsd).toBeCloseTo(sum(results), 9);
  }, 180_000);

  it("overshoots by at most one call in flight per agent when calls cost more than expected", async () => {
    const file = path.join(
      await makeTempDir("gitswarm-budget-"),
      "budget.json",
    );
    const agents = ["a", "b", "c", "d"].map((name) => ({
      name,
      calls: 100,
      expected: 0.01,
      actual: 0.05,
    }));
    const results = await runAgents(file, 0.5, agents);
    const total = sum(results);
    expect(total).toBeLessThanOrEqual(0.5 + agents.length * 0.05 + 1e-9);
    expect(total).toBeGreaterThan(0.5 - 1e-9);
  }, 180_000);

  it("refuses a call that would pass the limit with what others have in flight, and names the figures", () => {
    const state = { limitUsd: 1, spentUsd: 0.6, reserved: { a: 0.3, b: 0.05 } };
    expect(decideReservation(state, "b", 0.1)).toEqual({ ok: true });
    expect(decideReservation(state, "c", 0.1)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(
        /run budget \$1\.0000: spent \$0\.6000, \$0\.3500 reserved by calls in flight/,
      ),
    });
    expect(
      decideReservation({ ...state, reserved: {}, spentUsd: 1 }, "a", 0),
    ).toMatchObject({ ok: false });
  });
});
