/**
 * The one tool loop every API agent runs, whatever the vendor: build the prompt, then call the
 * model, run the tools it asks for, feed the results back — until it calls finish or give_up, or a
 * limit (turns, time, budget, abort) ends the attempt. Budgets are checked before every call.
 */
import { checkBudget } from "./spend/budget.js";
import {
  boundConversation,
  conversationChars,
  type Conversation,
  type ToolResultMessage,
} from "./conversation.js";
import { costOf, estimateTokens } from "./spend/cost.js";
import {
  callModel,
  vendorOfClient,
  type CallContext,
} from "./providers/model-call.js";
import { buildSystemPrompt, buildTaskPrompt } from "./prompt.js";
import { redact } from "./secrets.js";
import { dispatchTool, selectTools, toolSpecs } from "./tools/toolbox.js";
import type { ToolContext } from "./tools/tool.js";
import {
  addUsage,
  emptyUsage,
  type AgentFailure,
  type Usage,
  type WorkOutcome,
  type WorkRequest,
} from "./types.js";

/** Limits of the loop besides the request's own budget. */
export interface LoopLimits {
  maxTurns: number;
  /** Conversation size (characters) past which older tool results are dropped. */
  maxContextChars: number;
  commandTimeoutMs: number;
  maxToolOutputChars: number;
}

/** Defaults: about 100k tokens of context, 2-minute commands, 20k-character tool results. */
export const DEFAULT_LOOP_LIMITS: LoopLimits = {
  maxTurns: 40,
  maxContextChars: 400_000,
  commandTimeoutMs: 120_000,
  maxToolOutputChars: 20_000,
};

const NUDGE =
  "Continue with the tools. Call finish when the task is done and verified, or give_up with the reason.";

/** Runs one attempt at a task; never throws for model or tool failures. */
export async function runToolLoop(
  request: WorkRequest,
  call: CallContext,
  limits: LoopLimits,
  toolEnv: Record<string, string>,
): Promise<WorkOutcome> {
  const deadline =
    request.budget.timeoutMs === undefined
      ? undefined
      : AbortSignal.timeout(request.budget.timeoutMs);
  const signal =
    deadline === undefined
      ? request.signal
      : AbortSignal.any([request.signal, deadline]);
  const tools = selectTools(request.tools?.oracleSample !== undefined);
  const context: ToolContext = {
    workspace: request.workspaceDir,
    env: toolEnv,
    signal,
    commandTimeoutMs: limits.commandTimeoutMs,
    maxOutputChars: limits.maxToolOutputChars,
    ...(request.tools?.oracleSample
      ? { oracleSample: request.tools.oracleSample }
      : {}),
  };
  const prompt = buildTaskPrompt(request);
  call.emit({ type: "prompt", agent: call.agent, text: prompt });
  const conversation: Conversation = {
    system: buildSystemPrompt(context.oracleSample !== undefined),
    messages: [{ role: "user", text: prompt }],
  };
  const maxTurns = request.budget.maxTurns ?? limits.maxTurns;
  let usage = emptyUsage();
  let lastCallUsd: number | undefined;
  const stopped = (): AgentFailure | undefined =>
    request.signal.aborted
      ? { kind: "aborted" }
      : deadline?.aborted
        ? {
            kind: "timed-out",
            detail: `time limit of ${request.budget.timeoutMs} ms reached`,
          }
        : undefined;
  const fail = (error: AgentFailure, u: Usage): WorkOutcome => ({
    kind: "failed",
    error,
    usage: u,
  });

  for (let turn = 1; turn <= maxTurns; turn++) {
    const halt = stopped();
    if (halt) return fail(halt, usage);
    const bounded = boundConversation(conversation, limits.maxContextChars);
    const expected =
      lastCallUsd ??
      costOf(
        call.client.model,
        {
          inputTokens: estimateTokens(conversationChars(bounded)),
          outputTokens: 0,
        },
        call.prices,
        vendorOfClient(call.client),
      );
    const budget = checkBudget(usage.costUsd, expected, request.budget);
    if (!budget.ok)
      return fail({ kind: "budget-exceeded", detail: budget.detail }, usage);
    const pool = request.budget.pool;
    const reserved = await pool?.reserve(expected);
    if (reserved?.ok === false)
      return fail({ kind: "budget-exceeded", detail: reserved.detail }, usage);
    const before = usage.costUsd;
    let result: Awaited<ReturnType<typeof callModel>>;
    try {
      result = await callModel(call, bounded, toolSpecs(tools), signal);
      usage = addUsage(usage, result.usage);
    } finally {
      await pool?.settle(usage.costUsd - before);
    }
    if (!result.ok)
      return fail(
        result.failure.kind === "aborted"
          ? (stopped() ?? result.failure)
          : result.failure,
        usage,
      );
    lastCallUsd = result.costUsd;
    const { turn: reply } = result;
    conversation.messages.push({
      role: "assistant",
      text: reply.text,
      toolCalls: reply.toolCalls,
      ...(reply.raw !== undefined ? { raw: reply.raw } : {}),
    });
    if (reply.toolCalls.length === 0) {
      conversation.messages.push({ role: "user", text: NUDGE });
      continue;
    }
    const results: ToolResultMessage[] = [];
    for (const toolCall of reply.toolCalls) {
      const started = performance.now();
      const outcome = await dispatchTool(tools, toolCall, context);
      call.emit({
        type: "tool-call",
        agent: call.agent,
        tool: toolCall.name,
        ok: !outcome.isError,
        ms: Math.round(performance.now() - started),
        ...(outcome.truncated ? { truncated: true } : {}),
        resultChars: outcome.content.length,
      });
      if (outcome.control?.kind === "finish")
        return {
          kind: "finished",
          summary: redact(outcome.control.summary, call.secrets),
          usage,
        };
      if (outcome.control?.kind === "give-up")
        return {
          kind: "gave-up",
          reason: redact(outcome.control.reason, call.secrets),
          usage,
        };
      results.push({
        callId: toolCall.id,
        name: toolCall.name,
        content: redact(outcome.content, call.secrets),
        isError: outcome.isError,
      });
    }
    conversation.messages.push({ role: "tool", results });
  }
  return fail(
    {
      kind: "timed-out",
      detail: `turn limit of ${maxTurns} reached without finish or give_up`,
    },
    usage,
  );
}
