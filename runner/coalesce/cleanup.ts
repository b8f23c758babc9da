/**
 * The one code cleanup of a coalescer run: an agent works on the chosen finding in the coalescer's
 * clone; the result is committed, passed through the same gate as any task (rebase, FULL oracle,
 * ratchet), measured again by the code detectors, and lands — as ONE fenced commit with
 * `Swarm-Action: coalesce` and the before/after figures — only when the figures strictly improve
 * with no new finding. Anything else lands nothing and is returned as a value.
 */
import type { Agent, Usage } from "../../agents/types.js";
import {
  finishTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import type { Task } from "../../coordination/progress/task.js";
import { renderCommitMessage } from "../../coordination/git/trailers.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { OracleConfig } from "../../oracle/index.js";
import { gateWork } from "../agent/work-gate.js";
import type { CoalesceConfig } from "./config.js";
import { detectCode } from "./detect/detect.js";
import type { Finding } from "./findings.js";
import { formatFigures, judgeCleanup } from "./judge.js";
import { cleanupTask } from "./pick.js";

/** How the cleanup ended. `rate-limited` releases the claim without counting a failure. */
export type CleanupResult =
  | {
      outcome: "landed";
      commit: string;
      before: string;
      after: string;
      usage: Usage;
    }
  | {
      outcome: "refused";
      stage: "agent" | "files" | "gate" | "figures";
      reason: string;
      usage: Usage;
    }
  | { outcome: "rate-limited"; until?: string; usage: Usage }
  | { outcome: "fenced"; reason: string; usage: Usage }
  | { outcome: "stopped"; usage: Usage };

export interface CleanupInput {
  ws: Workspace;
  repoDir: string;
  agent: Agent;
  claim: HeldClaim;
  target: Finding;
  /** The code findings on the tree the agent starts from. */
  before: readonly Finding[];
  claimedFiles: ReadonlySet<string>;
  config: CoalesceConfig;
  oracle?: OracleConfig;
  design?: string;
  signal: AbortSignal;
}

/** Runs the cleanup end to end; throws only for broken environments. */
export async function runCleanup(input: CleanupInput): Promise<CleanupResult> {
  const { ws, agent, claim, target, signal } = input;
  const task = cleanupTask(claim.taskId, target, input.claimedFiles);
  const outcome = await agent.work({
    workspaceDir: ws.dir,
    task,
    context: { design: input.design },
    budget: {},
    signal,
  });
  const usage = outcome.usage;
  if (signal.aborted) return { outcome: "stopped", usage };
  if (outcome.kind === "failed" && outcome.error.kind === "rate-limited")
    return { outcome: "rate-limited", until: outcome.error.until, usage };
  if (outcome.kind !== "finished") {
    const reason =
      outcome.kind === "gave-up"
        ? outcome.reason
        : `${outcome.error.kind}: ${"detail" in outcome.error ? outcome.error.detail : ""}`;
    return { outcome: "refused", stage: "agent", reason, usage };
  }
  const changed = await commitCleanup(ws, claim, target);
  if (changed.length === 0)
    return {
      outcome: "refused",
      stage: "agent",
      reason: "the agent changed nothing",
      usage,
    };
  const forbidden = changed.filter(
    (f) =>
      input.claimedFiles.has(f) ||
      f === "PROGRESS.md" ||
      f.startsWith("locks/"),
  );
  if (forbidden.length > 0)
    return {
      outcome: "refused",
      stage: "files",
      reason: `the cleanup touched files it must not (live claims or swarm state): ${forbidden.join(", ")}`,
      usage,
    };
  const gate = await gateWork(ws, {
    task: gateTask(claim.taskId),
    agent: claim.agent,
    oracle: input.oracle,
    signal,
  });
  if (signal.aborted) return { outcome: "stopped", usage };
  if (!gate.ok)
    return { outcome: "refused", stage: "gate", reason: gate.reason, usage };
  const after = await detectCode(input.repoDir, ws.dir, input.config, signal);
  const verdict = judgeCleanup(input.before, after, target);
  const kinds = [
    ...Object.keys(verdict.before.counts),
    ...Object.keys(verdict.after.counts),
  ];
  const before = formatFigures(verdict.before, kinds);
  const afterText = formatFigures(verdict.after, kinds);
  if (!verdict.ok)
    return {
      outcome: "refused",
      stage: "figures",
      reason: verdict.reason,
      usage,
    };
  const end = await finishTask(ws, {
    ...claim,
    work: "HEAD",
    summary: `${target.detail}\n\n${outcome.summary}`,
    message: {
      action: "coalesce",
      subject: `coalesce: ${target.kind} in ${(target.files ?? []).join(", ")}`,
      extra: {
        "Swarm-Coalesce-Finding": target.kind,
        "Swarm-Coalesce-Before": before,
        "Swarm-Coalesce-After": afterText,
        ...(gate.passed === undefined
          ? {}
          : {
              "Swarm-Oracle": `${gate.passed} passed, ${gate.failed ?? 0} failed`,
            }),
      },
    },
    signal,
  });
  if (end.outcome === "landed")
    return {
      outcome: "landed",
      commit: end.commit,
      before,
      after: afterText,
      usage,
    };
  if (end.outcome === "fenced")
    return { outcome: "fenced", reason: end.message, usage };
  return { outcome: "refused", stage: "gate", reason: end.message, usage };
}

/** Commits everything the agent changed on the coalescer's branch; returns the files changed. */
async function commitCleanup(
  ws: Workspace,
  claim: HeldClaim,
  target: Finding,
): Promise<string[]> {
  await ws.git.run(["add", "--all"]);
  const names = (await ws.git.run(["diff", "--cached", "--name-only", "-z"]))
    .split("\0")
    .filter(Boolean);
  if (names.length === 0) return [];
  const message = renderCommitMessage({
    subject: `coalesce work: ${target.kind}`,
    task: claim.taskId,
    agent: claim.agent,
  });
  await ws.git.run(["commit", "--quiet", "--no-verify", "-F", "-"], {
    input: message,
  });
  return names;
}

/** The gate's view of the coalescer's task: no cases of its own, only the ratchet. */
function gateTask(id: string): Task {
  return {
    id,
    title: "coalesce",
    status: "open",
    needs: [],
    tags: [],
    cases: [],
    notes: [],
    order: 0,
    line: 0,
    endLine: 0,
  };
}
