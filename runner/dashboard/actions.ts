/**
 * The dashboard's buttons, each through the same protocol function its CLI command calls:
 * reopen (`gitswarm reopen`), block (`gitswarm block`), release a stale lock (`gitswarm locks
 * break`, never forced: refused unless the lease rules call it stale), pause and resume the run
 * (`gitswarm pause|resume`), stop or restart an agent (`gitswarm agent stop|restart`): the last
 * four write the live run's control file through the same function as the CLI), approve or reject
 * work that waits for a human (`gitswarm approve|reject`).
 */
import { z } from "zod";
import { UserError } from "../../coordination/base/errors.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { breakLock } from "../../coordination/protocol/break-lock.js";
import {
  blockOpenTask,
  reopenTask,
} from "../../coordination/protocol/task-admin.js";
import { requestControl } from "../control/request-control.js";
import { decideApproval, describeAnswer } from "../gates/approval-decision.js";

const TASK_ID = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);

const actionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("reopen"), task: TASK_ID }),
  z.object({
    action: z.literal("block"),
    task: TASK_ID,
    reason: z.string().trim().min(1).max(2000),
  }),
  z.object({ action: z.literal("release"), task: TASK_ID }),
  z.object({ action: z.literal("approve"), task: TASK_ID }),
  z.object({
    action: z.literal("reject"),
    task: TASK_ID,
    reason: z.string().trim().min(1).max(2000),
  }),
  z.object({ action: z.literal("stop-agent"), agent: z.string().min(1) }),
  z.object({ action: z.literal("restart-agent"), agent: z.string().min(1) }),
  z.object({ action: z.literal("pause") }),
  z.object({ action: z.literal("resume") }),
]);

/** One request from the page, validated. */
export type DashboardAction = z.infer<typeof actionSchema>;

/** What an action did, in words for the page. */
export interface ActionResult {
  ok: boolean;
  message: string;
}

/** Who acts and through what. */
export interface ActionContext {
  ws: Workspace | undefined;
  /** The name the commits are made under (git config user.name, as the CLI's default). */
  actor: string;
  /** The checkout whose live run the pause and agent buttons steer. */
  repoDir: string;
  /** The config's `maxAttempts`: a rejection past it blocks the task, as `gitswarm reject` does. */
  maxAttempts: number;
  signal?: AbortSignal;
}

/** Parses a request body; undefined when it is not an action. */
export function parseAction(body: unknown): DashboardAction | undefined {
  const parsed = actionSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

/** Performs one action. Expected refusals come back as `ok: false` with the reason. */
export async function performAction(
  ctx: ActionContext,
  action: DashboardAction,
): Promise<ActionResult> {
  if (action.action === "pause" || action.action === "resume")
    return requestControl(ctx.repoDir, { kind: action.action }, ctx.actor);
  if (action.action === "stop-agent" || action.action === "restart-agent")
    return requestControl(
      ctx.repoDir,
      {
        kind: action.action === "stop-agent" ? "stop" : "restart",
        agent: action.agent,
      },
      ctx.actor,
    );
  if (ctx.ws === undefined)
    return { ok: false, message: "no hub yet: 'gitswarm run' creates one" };
  if (action.action === "approve" || action.action === "reject")
    return answer(ctx, ctx.ws, action);
  const request = { taskId: action.task, by: ctx.actor, signal: ctx.signal };
  if (action.action === "reopen") {
    const result = await reopenTask(ctx.ws, request);
    return result.outcome === "landed"
      ? { ok: true, message: `reopened ${action.task}` }
      : { ok: false, message: result.message };
  }
  if (action.action === "block") {
    const result = await blockOpenTask(ctx.ws, {
      ...request,
      reason: action.reason,
    });
    return result.outcome === "landed"
      ? { ok: true, message: `blocked ${action.task}` }
      : { ok: false, message: result.message };
  }
  const result = await breakLock(ctx.ws, {
    taskId: action.task,
    breaker: ctx.actor,
    force: false,
    signal: ctx.signal,
  });
  if (result.outcome === "broken")
    return {
      ok: true,
      message: `released the stale lock on ${action.task}: ${result.evidence}`,
    };
  if (result.outcome === "refused")
    return {
      ok: false,
      message: `not released: the lock on ${action.task} is ${result.state}: ${result.evidence}`,
    };
  return { ok: false, message: result.message };
}

/** Approve or reject as `gitswarm approve|reject` does; its refusals (nothing waits, a race) come back as `ok: false`. */
async function answer(
  ctx: ActionContext,
  ws: Workspace,
  action: Extract<DashboardAction, { action: "approve" | "reject" }>,
): Promise<ActionResult> {
  const state = action.action === "approve" ? "approved" : "rejected";
  try {
    const { outcome } = await decideApproval(
      ws,
      action.task,
      {
        state,
        by: ctx.actor,
        ...(action.action === "reject" ? { reason: action.reason } : {}),
      },
      { maxAttempts: ctx.maxAttempts, signal: ctx.signal },
    );
    return {
      ok: outcome.outcome !== "conflict" && outcome.outcome !== "over",
      message: `${action.task}: ${state} by ${ctx.actor}; ${describeAnswer(outcome)}`,
    };
  } catch (error) {
    if (error instanceof UserError)
      return { ok: false, message: error.message };
    throw error;
  }
}
