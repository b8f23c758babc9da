/**
 * The run's budget as one pool shared by every agent process of a run: a JSON file (spent so far,
 * and the cost each agent reserved for the call it has in flight) guarded by proper-lockfile.
 * Before each model call an agent reserves the call's expected cost; the call is refused when what
 * was spent plus every reservation plus this one would pass the limit; afterwards it settles the
 * real cost. So the run overshoots by at most what calls in flight cost beyond their estimate:
 * one call per agent, since an agent has one call in flight at a time (a reservation is keyed by
 * the agent's name, so a respawned agent's first call replaces what its dead process left).
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import type { BudgetPool, BudgetVerdict } from "./budget.js";

interface PoolState {
  limitUsd: number;
  spentUsd: number;
  /** Agent name → the expected cost of its call in flight. */
  reserved: Record<string, number>;
}

/** Opens (or creates on first use) the pool at `file` with `limitUsd`, as seen by agent `agent`. */
export function openBudgetPool(
  file: string,
  agent: string,
  limitUsd: number,
): BudgetPool {
  const update = <T>(change: (state: PoolState) => T): Promise<T> =>
    withPoolLock(file, async () => {
      const state = await readPool(file, limitUsd);
      const result = change(state);
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(state)}\n`);
      await rename(temp, file);
      return result;
    });
  return {
    reserve: (expectedUsd) =>
      update((state) => {
        const verdict = decideReservation(state, agent, expectedUsd);
        if (verdict.ok) state.reserved[agent] = expectedUsd;
        return verdict;
      }),
    settle: (actualUsd) =>
      update((state) => {
        state.spentUsd += actualUsd;
        delete state.reserved[agent];
      }),
    remaining: async () => {
      const state = await readPool(file, limitUsd);
      return state.limitUsd - state.spentUsd - reservedByOthers(state, agent);
    },
  };
}

/** Whether `agent` may reserve `expectedUsd` now. Pure. */
export function decideReservation(
  state: PoolState,
  agent: string,
  expectedUsd: number,
): BudgetVerdict {
  const committed = state.spentUsd + reservedByOthers(state, agent);
  // Sums of dollar fractions drift (0.95 + 0.05 > 1): a nano-dollar of slack keeps exact fits in.
  const limit = state.limitUsd + 1e-9;
  if (committed < state.limitUsd && committed + expectedUsd <= limit)
    return { ok: true };
  return {
    ok: false,
    detail: `run budget $${state.limitUsd.toFixed(4)}: spent $${state.spentUsd.toFixed(4)}, $${(committed - state.spentUsd).toFixed(4)} reserved by calls in flight, next call expected to cost about $${expectedUsd.toFixed(4)}`,
  };
}

function reservedByOthers(state: PoolState, agent: string): number {
  return Object.entries(state.reserved)
    .filter(([name]) => name !== agent)
    .reduce((sum, [, usd]) => sum + usd, 0);
}

async function readPool(file: string, limitUsd: number): Promise<PoolState> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return { limitUsd, spentUsd: 0, reserved: {} };
  return JSON.parse(text) as PoolState;
}

async function withPoolLock<T>(
  file: string,
  work: () => Promise<T>,
): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(file, {
    lockfilePath: `${file}.lock`,
    realpath: false,
    stale: 10_000,
    update: 2_000,
    retries: { retries: 500, minTimeout: 5, maxTimeout: 100, factor: 1.3 },
  });
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
