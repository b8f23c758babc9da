/**
 * The body of one coalescer run while it holds `swarm-coalesce`: read the swarm, detect, archive
 * and prune, then the one gated cleanup by an agent (run-coalesce.ts claims and ends the task).
 */
import type { HeldClaim } from "../../coordination/protocol/finish.js";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { loadOracleConfig } from "../../oracle/index.js";
import { readClaimedFiles } from "./claimed-files.js";
import { runCleanup, type CleanupResult } from "./cleanup.js";
import { detectFindings } from "./detect/detect.js";
import { archiveOnHub, pruneWorkBranches } from "./fixes.js";
import { formatCounts } from "./findings.js";
import { isJudged } from "./judge.js";
import { pickCleanupTarget } from "./pick.js";
import { knownCommands, WORK_BRANCH_PATTERN } from "./scan.js";
import { readHubBranches } from "../../coordination/git/hub-branches.js";
import type {
  CoalesceEmit,
  CoalesceOptions,
  CoalesceResult,
} from "./coalesce-types.js";
import { prepareCoalesceWorkspace } from "./workspace.js";

/**
 * The work of a held coalescer claim: detect, apply the deterministic fixes, and make at most one
 * gated code cleanup. The caller ends the claim with what this returns.
 */
export async function coalesceHeld(
  ws: Workspace,
  held: HeldClaim,
  options: CoalesceOptions,
  signal: AbortSignal,
  emit: CoalesceEmit,
): Promise<Omit<CoalesceResult, "outcome">> {
  const config = options.config.coalesce;
  const now = options.now?.() ?? new Date();
  const state = await readSwarmState(ws, { signal, leases: false });
  const branches = await readHubBranches(ws, [WORK_BRANCH_PATTERN], signal);
  const detection = await detectFindings({
    repoDir: options.repoDir,
    dir: ws.dir,
    config,
    state,
    branches,
    commands: knownCommands(),
    now,
    signal,
  });
  emit("findings", formatCounts(detection.figures), {
    findings: detection.figures.counts,
  });
  const archived =
    config.archive && (detection.figures.counts["unarchived-done"] ?? 0) > 0
      ? await archiveOnHub(ws, held.agent, now, signal)
      : { ids: [] };
  if (archived.ids.length > 0)
    emit("archived", `archived ${archived.ids.join(", ")}`, {
      commit: archived.commit,
    });
  const pruned = await pruneWorkBranches(ws, detection.prunable, signal);
  if (pruned.length > 0) emit("pruned", `pruned ${pruned.join(", ")}`);
  const base = {
    agent: held.agent,
    figures: detection.figures,
    archived: archived.ids,
    pruned,
  };
  const fixes = `${archived.ids.length} archived, ${pruned.length} branch(es) pruned`;
  const findingsText = `${detection.findings.length} finding(s) (${formatCounts(detection.figures)})`;
  if (!config.cleanup || options.agent === undefined) {
    const reason =
      options.agent === undefined
        ? "no cleanup agent configured (coalesce.agent)"
        : "coalesce.cleanup is off";
    return {
      ...base,
      cleanup: { outcome: "skipped", reason },
      costUsd: 0,
      summary: `coalesce: ${findingsText}; ${fixes}; cleanup skipped: ${reason}`,
    };
  }
  const claimedFiles = await readClaimedFiles(ws, state, held.taskId, signal);
  const target = pickCleanupTarget(detection.findings, claimedFiles);
  if (target === undefined) {
    const reason = detection.findings.some(isJudged)
      ? "every code finding is in files live claims are changing"
      : "no code finding to clean up";
    return {
      ...base,
      cleanup: { outcome: "skipped", reason },
      costUsd: 0,
      summary: `coalesce: ${findingsText}; ${fixes}; cleanup skipped: ${reason}`,
    };
  }
  // The archive commit moved main: the agent works from the fresh tip, where the code is the same.
  if (archived.ids.length > 0)
    await prepareCoalesceWorkspace(options.home, ws.dir, held.agent, signal);
  emit("cleanup", `cleaning up ${target.kind}: ${target.detail}`);
  const cleanup = await runCleanup({
    ws,
    repoDir: options.repoDir,
    agent: options.agent,
    claim: held,
    target,
    before: detection.findings.filter(isJudged),
    claimedFiles,
    config,
    oracle: await loadOracleConfig(ws.dir),
    signal,
  });
  const costUsd = cleanup.usage.costUsd;
  return {
    ...base,
    cleanup,
    costUsd,
    summary: `coalesce: ${findingsText}; ${fixes}; cleanup ${describeCleanup(cleanup)}`,
  };
}

function describeCleanup(cleanup: CleanupResult): string {
  switch (cleanup.outcome) {
    case "landed":
      return `landed ${cleanup.commit.slice(0, 12)} (${cleanup.before} -> ${cleanup.after})`;
    case "refused":
      return `refused at the ${cleanup.stage}: ${cleanup.reason}`;
    case "rate-limited":
      return `rate-limited${cleanup.until ? ` until ${cleanup.until}` : ""}: released, not counted as a failure`;
    case "fenced":
      return `fenced: ${cleanup.reason}`;
    case "stopped":
      return "stopped";
  }
}
