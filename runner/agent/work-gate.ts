/**
 * The gate every piece of work passes before its done-commit: squash the work and rebase it onto
 * the hub's tip (a code conflict is a failed attempt, with the files named), then the FULL oracle
 * with the ratchet — no passing case may start failing, the task's own `cases:` must pass — and a
 * raised baseline is committed with the work so the done-commit carries it. The baseline belongs to
 * the gate: the work's own edits of it (an earlier gate's, or an agent's) are dropped before the
 * rebase, so a re-gate after main moved never conflicts on it.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { globToRegExp } from "../../oracle/glob.js";
import {
  applyRatchet,
  BASELINE_PATH,
  formatOracleSummary,
  readBaseline,
  runOracle,
  writeBaseline,
  type OracleConfig,
} from "../../oracle/index.js";
import type { Task } from "../../coordination/progress/task.js";
import { renderCommitMessage } from "../../coordination/git/trailers.js";
import { checkFence } from "../../coordination/protocol/fencing.js";
import { readTaskView } from "../../coordination/state/hub-view.js";
import {
  fetchMain,
  trackingRef,
  withWorkspaceLock,
  type Workspace,
} from "../../coordination/git/workspace.js";

export type GateResult =
  | { ok: true; passed?: number; failed?: number; raised: number }
  | {
      ok: false;
      reason: string;
      detail?: string;
      passed?: number;
      failed?: number;
      regressions?: string[];
    };

export interface GateOptions {
  task: Task;
  agent: string;
  /**
   * The claim the work lands under. Checked on the rebase's fresh fetch: a claim lost meanwhile
   * (its lease ran out while the hub was cut off and another agent took the task over) ends the
   * gate as `fenced` before the rebase touches the work, which stays on its branch.
   */
  claimId?: string;
  /** The swarm's oracle; undefined when the repo has none configured (then only the rebase gates). */
  oracle?: OracleConfig;
  /** `cases`: only the task's own `cases:`, no ratchet (the merge queue's lander runs the full oracle). */
  scope?: "full" | "cases";
  signal?: AbortSignal;
}

/** Runs the gate in the workspace (on the work branch, with the work committed). */
export async function gateWork(
  ws: Workspace,
  options: GateOptions,
): Promise<GateResult> {
  const rebased = await rebaseWork(ws, options);
  if (!rebased.ok) return rebased;
  return oracleGate(ws, options);
}

/**
 * The full oracle with the ratchet on the rebased work; a raised baseline is committed with it.
 * Passes with no counts when the repo has no oracle configured.
 */
export async function oracleGate(
  ws: Workspace,
  options: GateOptions,
): Promise<GateResult> {
  if (options.oracle?.candidate === undefined) return { ok: true, raised: 0 };
  if (options.scope === "cases" && options.task.cases.length === 0)
    return { ok: true, raised: 0 };
  const report = await runOracle({
    repoDir: ws.dir,
    config:
      options.scope === "cases"
        ? { ...options.oracle, cases: options.task.cases }
        : options.oracle,
    signal: options.signal,
  });
  if (options.scope === "cases") {
    const failing = failingTaskCases(options.task, report.cases);
    return failing.length === 0
      ? { ok: true, passed: report.passed, failed: report.failed, raised: 0 }
      : {
          ok: false,
          reason: `oracle: the task's cases still fail: ${failing.slice(0, 8).join(", ")}`,
          detail: formatOracleSummary(report),
          passed: report.passed,
          failed: report.failed,
        };
  }
  const summary = formatOracleSummary(report);
  const ratchet = applyRatchet(await readBaseline(ws.dir), report);
  const counts = { passed: report.passed, failed: report.failed };
  if (!ratchet.ok) {
    const names = ratchet.regressions.slice(0, 8).join(", ");
    return {
      ok: false,
      reason: `oracle: ${ratchet.regressions.length} passing case(s) now fail: ${names}`,
      detail: summary,
      regressions: ratchet.regressions,
      ...counts,
    };
  }
  const ownFailures = failingTaskCases(options.task, report.cases);
  if (ownFailures.length > 0) {
    return {
      ok: false,
      reason: `oracle: the task's cases still fail: ${ownFailures.slice(0, 8).join(", ")}`,
      detail: summary,
      ...counts,
    };
  }
  if (ratchet.raised.length > 0)
    await commitBaseline(ws, options, ratchet.baseline, ratchet.raised.length);
  return { ok: true, ...counts, raised: ratchet.raised.length };
}

/** The rebase's verdict; `fenced`: the claim is no longer the task's lock (the work was not touched). */
export type RebaseResult =
  { ok: true } | { ok: false; reason: string; fenced?: true };

/** Squashes the work since it left main into one commit without baseline edits, then rebases it onto the tip. */
export function rebaseWork(
  ws: Workspace,
  options: GateOptions,
): Promise<RebaseResult> {
  // Under the workspace lock: a heartbeat's fetch and snapshot must not interleave with ours.
  return withWorkspaceLock(ws, () => squashAndRebase(ws, options));
}

async function squashAndRebase(
  ws: Workspace,
  options: GateOptions,
): Promise<RebaseResult> {
  await fetchMain(ws, options.signal);
  // A lost claim's task may be done on main by its taker: rebased onto that, the same work would
  // fail as "no change" (or conflict) and be dropped from its branch, a failure the hub never hears.
  if (options.claimId !== undefined) {
    const { taskRef } = await readTaskView(ws, options.task.id);
    const fence = checkFence(taskRef?.lock, options.task.id, options.claimId);
    if (!fence.ok) return { ok: false, reason: fence.message, fenced: true };
  }
  const base = (
    await ws.git.run(["merge-base", "HEAD", trackingRef(ws)])
  ).trim();
  if ((await ws.git.run(["rev-parse", "HEAD"])).trim() !== base) {
    await ws.git.run(["reset", "--quiet", "--soft", base]);
    if (
      (await ws.git.tryRun(["cat-file", "-e", `${base}:${BASELINE_PATH}`])).ok
    )
      await ws.git.run(["checkout", base, "--", BASELINE_PATH]);
    else {
      await ws.git.run([
        "rm",
        "--quiet",
        "--cached",
        "--ignore-unmatch",
        "--",
        BASELINE_PATH,
      ]);
      await rm(path.join(ws.dir, BASELINE_PATH), { force: true });
    }
    if (!(await ws.git.tryRun(["diff", "--cached", "--quiet"])).ok) {
      const message = renderCommitMessage({
        subject: `work: ${options.task.id} (${options.agent})`,
        task: options.task.id,
        agent: options.agent,
      });
      await ws.git.run(["commit", "--quiet", "--no-verify", "-F", "-"], {
        input: message,
      });
    }
  }
  const rebase = await ws.git.tryRun(["rebase", "--quiet", trackingRef(ws)], {
    signal: options.signal,
  });
  if (rebase.ok) return { ok: true };
  const conflicted = (
    await ws.git.tryRun(["diff", "--name-only", "--diff-filter=U"])
  ).stdout
    .trim()
    .split("\n")
    .filter(Boolean);
  await ws.git.tryRun(["rebase", "--abort"]);
  return {
    ok: false,
    reason: `the work conflicts with the hub's main in ${conflicted.join(", ") || "some files"}; rebase and resolve`,
  };
}

/** The task's `cases:` (paths or globs) that did not pass. Pure. */
export function failingTaskCases(
  task: Task,
  cases: readonly { id: string; status: string }[],
): string[] {
  if (task.cases.length === 0) return [];
  const patterns = task.cases.map((glob) => globToRegExp(glob));
  return cases
    .filter(
      (c) => c.status !== "passed" && patterns.some((re) => re.test(c.id)),
    )
    .map((c) => c.id);
}

async function commitBaseline(
  ws: Workspace,
  options: GateOptions,
  baseline: Parameters<typeof writeBaseline>[1],
  raised: number,
) {
  await writeBaseline(ws.dir, baseline);
  await ws.git.run(["add", "--", BASELINE_PATH]);
  const message = renderCommitMessage({
    subject: `oracle baseline: ${raised} more passing case(s)`,
    task: options.task.id,
    agent: options.agent,
  });
  await ws.git.run(["commit", "--quiet", "--no-verify", "-F", "-"], {
    input: message,
  });
}
