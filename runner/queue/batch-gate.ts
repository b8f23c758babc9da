/**
 * The lander's gate: the FULL oracle, once, on a batch's merged tree checked out in the lander's
 * clone, with the ratchet against the baseline that tree carries (main's: the work's own edits of it
 * never reach the chain) and each task's own `cases:`. Green yields the raised baseline as a file
 * change for the landing commit; red names the regressions and failing cases. A red run is retried
 * once without the result cache: a tree that passes then was flaky, reported and never blamed.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FileChange } from "../../coordination/git/commit-builder.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { Task } from "../../coordination/progress/task.js";
import {
  applyRatchet,
  BASELINE_PATH,
  readBaseline,
  renderBaseline,
  runOracle,
  type Baseline,
  type OracleConfig,
  type OracleReport,
} from "../../oracle/index.js";
import { failingTaskCases } from "../agent/work-gate.js";
import { crashPoint } from "./crash-point.js";

/** What the gate says about one tree. */
export type BatchVerdict =
  | {
      ok: true;
      passed: number;
      failed: number;
      raised: number;
      /** The baseline the landing commit carries (the one a batch gated on top of this one judges against). */
      baseline: Baseline;
      changes: FileChange[];
      /** Cases that failed and then passed on an uncached retry of the same tree. */
      flaky: string[];
      runs: number;
    }
  | {
      ok: false;
      reason: string;
      /** The failing cases the next attempt's prompt names. */
      failing: string[];
      passed: number;
      failed: number;
      runs: number;
    };

/** Where a gate runs: the lander's clone, or its speculative worktree (speculation.ts). */
export type GateTree = Pick<Workspace, "dir" | "git">;

/** A verdict before the runs that gave it are counted. */
export type Judgement =
  | Omit<Extract<BatchVerdict, { ok: true }>, "runs">
  | Omit<Extract<BatchVerdict, { ok: false }>, "runs">;

/**
 * Gates `commit` (a chain head) for `tasks`; without an oracle every tree is green. `retry`: a red
 * run is run again without the cache before it counts (bisection steps skip it; the lander retries
 * the culprit's tree once before blaming it instead).
 */
export async function gateBatch(
  tree: GateTree,
  commit: string,
  tasks: readonly Task[],
  oracle: OracleConfig | undefined,
  options: { retry: boolean; signal?: AbortSignal },
): Promise<BatchVerdict> {
  const { signal } = options;
  await checkoutGateTree(tree, commit);
  if (oracle?.candidate === undefined)
    return {
      ok: true,
      passed: 0,
      failed: 0,
      raised: 0,
      baseline: await readBaseline(tree.dir),
      changes: [],
      flaky: [],
      runs: 0,
    };
  // Without declared candidate inputs the cache cannot tell one tree from the next: a case cached
  // failing before its task landed would read as a regression (and a stale pass would hide one).
  const cacheable = oracle.candidateInputs.length > 0;
  const first = await judge(tree, tasks, oracle, cacheable, signal);
  if (first.ok || signal?.aborted || !options.retry || !cacheable)
    return { ...first, runs: 1 };
  const retry = await judge(tree, tasks, oracle, false, signal);
  if (!retry.ok) return { ...first, runs: 2 };
  return { ...retry, flaky: first.failing, runs: 2 };
}

/** Checks `commit` out in the gate's tree, with nothing left of the last gate's files. */
export async function checkoutGateTree(
  tree: GateTree,
  commit: string,
): Promise<void> {
  await tree.git.run(["checkout", "--quiet", "--force", "--detach", commit]);
  await tree.git.run(["clean", "--quiet", "-fd"]);
}

/** The full oracle on what the gate's tree has checked out. */
export function runGateOracle(
  tree: GateTree,
  oracle: OracleConfig,
  useCache: boolean,
  signal?: AbortSignal,
): Promise<OracleReport> {
  return runOracle({
    repoDir: tree.dir,
    config: oracle,
    signal,
    useCache,
    onCase: () => crashPoint("oracle"),
  });
}

async function judge(
  tree: GateTree,
  tasks: readonly Task[],
  oracle: OracleConfig,
  useCache: boolean,
  signal?: AbortSignal,
): Promise<Judgement> {
  const report = await runGateOracle(tree, oracle, useCache, signal);
  const text = await readFile(path.join(tree.dir, BASELINE_PATH), "utf8").catch(
    () => undefined,
  );
  return judgeReport(report, await readBaseline(tree.dir), text, tasks);
}

/**
 * Judges an oracle report: the ratchet against `before` (the baseline the landing tree carries,
 * whose text is `beforeText`), then each task's own `cases:`. Green carries the raised baseline as
 * a file change when its text differs. Pure.
 */
export function judgeReport(
  report: Pick<OracleReport, "cases" | "sample" | "passed" | "failed">,
  before: Baseline,
  beforeText: string | undefined,
  tasks: readonly Task[],
): Judgement {
  const counts = { passed: report.passed, failed: report.failed };
  const ratchet = applyRatchet(before, report);
  if (!ratchet.ok)
    return {
      ok: false,
      reason: `oracle: ${ratchet.regressions.length} passing case(s) now fail: ${ratchet.regressions.slice(0, 8).join(", ")}`,
      failing: ratchet.regressions,
      ...counts,
    };
  const own = tasks.flatMap((task) =>
    failingTaskCases(task, report.cases).map((c) => ({ task: task.id, c })),
  );
  if (own.length > 0)
    return {
      ok: false,
      reason: `oracle: the task's cases still fail: ${own
        .slice(0, 8)
        .map((o) => o.c)
        .join(", ")}`,
      failing: own.map((o) => o.c),
      ...counts,
    };
  const content = renderBaseline(ratchet.baseline);
  return {
    ok: true,
    ...counts,
    raised: ratchet.raised.length,
    baseline: ratchet.baseline,
    changes: content === beforeText ? [] : [{ path: BASELINE_PATH, content }],
    flaky: [],
  };
}
