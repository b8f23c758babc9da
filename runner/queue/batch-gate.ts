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
  runOracle,
  writeBaseline,
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

/**
 * Gates `commit` (a chain head) for `tasks`; without an oracle every tree is green. `retry`: a red
 * run is run again without the cache before it counts (bisection steps skip it; the lander retries
 * the culprit's tree once before blaming it instead).
 */
export async function gateBatch(
  ws: Workspace,
  commit: string,
  tasks: readonly Task[],
  oracle: OracleConfig | undefined,
  options: { retry: boolean; signal?: AbortSignal },
): Promise<BatchVerdict> {
  const { signal } = options;
  await ws.git.run(["checkout", "--quiet", "--force", "--detach", commit]);
  await ws.git.run(["clean", "--quiet", "-fd"]);
  if (oracle?.candidate === undefined)
    return {
      ok: true,
      passed: 0,
      failed: 0,
      raised: 0,
      changes: [],
      flaky: [],
      runs: 0,
    };
  // Without declared candidate inputs the cache cannot tell one tree from the next: a case cached
  // failing before its task landed would read as a regression (and a stale pass would hide one).
  const cacheable = oracle.candidateInputs.length > 0;
  const first = await judge(ws, tasks, oracle, cacheable, signal);
  if (first.ok || signal?.aborted || !options.retry || !cacheable)
    return { ...first, runs: 1 };
  const retry = await judge(ws, tasks, oracle, false, signal);
  if (!retry.ok) return { ...first, runs: 2 };
  return { ...retry, flaky: first.failing, runs: 2 };
}

async function judge(
  ws: Workspace,
  tasks: readonly Task[],
  oracle: OracleConfig,
  useCache: boolean,
  signal?: AbortSignal,
): Promise<
  | Omit<Extract<BatchVerdict, { ok: true }>, "runs">
  | Omit<Extract<BatchVerdict, { ok: false }>, "runs">
> {
  const report: OracleReport = await runOracle({
    repoDir: ws.dir,
    config: oracle,
    signal,
    useCache,
    onCase: () => crashPoint("oracle"),
  });
  const counts = { passed: report.passed, failed: report.failed };
  const before = await readBaseline(ws.dir);
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
  const file = path.join(ws.dir, BASELINE_PATH);
  const old = await readFile(file, "utf8").catch(() => undefined);
  await writeBaseline(ws.dir, ratchet.baseline);
  const content = await readFile(file, "utf8");
  return {
    ok: true,
    ...counts,
    raised: ratchet.raised.length,
    changes: content === old ? [] : [{ path: BASELINE_PATH, content }],
    flaky: [],
  };
}
