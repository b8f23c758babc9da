/**
 * The agent loop's edge to the gates: giving a task back when the gates could reach no verdict (a
 * reviewer erred) without spending an attempt — up to `review.maxDeferrals` times in a row, after which the task is blocked for a human, since a
 * reviewer that keeps failing (a revoked key, an exhausted quota) would otherwise defer it forever.
 */
import {
  blockTask,
  releaseTask,
  type HeldClaim,
} from "../../coordination/protocol/finish.js";
import {
  markerPath,
  parseMarker,
  type TaskMarker,
} from "../../coordination/state/task-marker.js";
import { entryText, readObjects } from "../../coordination/git/cat-file.js";
import {
  hubTaskRef,
  trackingTaskRef,
} from "../../coordination/git/task-refs.js";
import { NETWORK_TIMEOUT_MS } from "../../coordination/git/git.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { DEFAULT_MAX_DEFERRALS } from "./gates-config.js";
import type { AgentLoopOptions } from "../agent/agent-loop-options.js";

/** How the claim before ours ended: the marker our lock commit sits on (the task ref's parent). */
async function markerBefore(
  ws: Workspace,
  taskId: string,
): Promise<TaskMarker | undefined> {
  const fetched = await ws.git.tryRun(
    [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      ws.remote,
      `+${hubTaskRef(taskId)}:${trackingTaskRef(ws, taskId)}`,
    ],
    { timeoutMs: NETWORK_TIMEOUT_MS },
  );
  if (!fetched.ok) return undefined;
  const [entry] = await readObjects(ws.git, [
    `${trackingTaskRef(ws, taskId)}^:${markerPath(taskId)}`,
  ]);
  const text = entryText(entry);
  const parsed = text === undefined ? undefined : parseMarker(text);
  return parsed?.ok === true ? parsed.marker : undefined;
}

const DEFERRED = /^deferred (\d+)\/\d+: /;

/** How many deferrals in a row the task's last marker records (0 after anything else). Pure. */
export function deferralsOf(marker: TaskMarker | undefined): number {
  if (marker?.state !== "released") return 0;
  return Number(DEFERRED.exec(marker.reason ?? "")?.[1] ?? 0);
}

/** What a deferral does: give the task back as the `count`th in a row, or block it at the cap. Pure. */
export function deferralEnd(
  count: number,
  max: number,
  reason: string,
  taskId: string,
): { kind: "release" | "block"; reason: string } {
  if (count < max)
    return { kind: "release", reason: `deferred ${count}/${max}: ${reason}` };
  return {
    kind: "block",
    reason: `no review verdict ${count} time(s) in a row (review.maxDeferrals: ${max}); last: ${reason}. Fix the reviewer (its key, quota or budget; 'gitswarm doctor'), then 'gitswarm reopen ${taskId}'`,
  };
}

/**
 * Releases the claim with `reason`, which records no failed attempt (the work stays on its
 * branch); the `review.maxDeferrals`th deferral in a row blocks the task with the reason instead.
 */
export async function defer(
  options: Pick<AgentLoopOptions, "ws" | "me" | "emit" | "gates">,
  claim: HeldClaim,
  reason: string,
  costUsd: number,
): Promise<{ done: false; costUsd: number }> {
  const { ws, me, emit } = options;
  const end = deferralEnd(
    deferralsOf(await markerBefore(ws, claim.taskId)) + 1,
    options.gates?.review?.maxDeferrals ?? DEFAULT_MAX_DEFERRALS,
    reason,
    claim.taskId,
  );
  if (end.kind === "block") {
    const blocked = await blockTask(ws, { ...claim, reason: end.reason });
    if (blocked.outcome === "landed") {
      emit({
        type: "blocked",
        agent: me.name,
        task: claim.taskId,
        reason: end.reason,
      });
      return { done: false, costUsd };
    }
  }
  await releaseTask(ws, { ...claim, reason: end.reason });
  emit({
    type: "released",
    agent: me.name,
    task: claim.taskId,
    reason: end.reason,
  });
  return { done: false, costUsd };
}
