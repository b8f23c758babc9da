/**
 * One model call with retries, the circuit breaker, usage and cost accounting and events. Every
 * attempt counts as a call; failures come back as an AgentFailure value, never a throw.
 */
import type { CircuitBreaker } from "./circuit-breaker.js";
import type { Conversation } from "../conversation.js";
import { priceCall, type PriceTable } from "../spend/cost.js";
import type { Vendor } from "../spend/price-list.js";
import { classifyProviderError } from "./provider-error.js";
import type { ModelClient, ModelTurn, ToolSpec } from "./model-client.js";
import { decideRetry, sleep, type RetryPolicy } from "./retry.js";
import { redact, type SecretList } from "../secrets.js";
import type { AgentEvent, AgentFailure, Usage } from "../types.js";

/** What a call needs besides the request. */
export interface CallContext {
  agent: string;
  client: ModelClient;
  prices: PriceTable;
  retry: RetryPolicy;
  breaker: CircuitBreaker;
  secrets: SecretList;
  emit: (event: AgentEvent) => void;
  now?: () => number;
}

/** The result: a turn with its cost, or a failure; `usage` covers every attempt either way. */
export type CallResult =
  | { ok: true; turn: ModelTurn; costUsd: number; usage: Usage }
  | { ok: false; failure: AgentFailure; usage: Usage };

/** Calls the model, retrying rate limits, 5xx and network errors as the policy allows. */
export async function callModel(
  ctx: CallContext,
  conversation: Conversation,
  tools: ToolSpec[],
  signal: AbortSignal,
): Promise<CallResult> {
  const now = ctx.now ?? Date.now;
  const usage: Usage = {
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  };
  const base = {
    agent: ctx.agent,
    provider: ctx.client.provider,
    model: ctx.client.model,
  };
  const breaker = ctx.breaker.state();
  if (breaker.open) {
    const until = new Date(breaker.until).toISOString();
    return {
      ok: false,
      failure: {
        kind: "rate-limited",
        until,
        detail: `circuit open for ${ctx.client.provider} after repeated failures`,
      },
      usage,
    };
  }
  for (let attempt = 1; ; attempt++) {
    const started = now();
    usage.calls += 1;
    try {
      const turn = await ctx.client.complete(conversation, tools, signal);
      const model = turn.model ?? ctx.client.model;
      const { costUsd, basis } = priceTurn(ctx, turn, model);
      usage.inputTokens += turn.inputTokens;
      usage.outputTokens += turn.outputTokens;
      usage.costUsd = Math.round((usage.costUsd + costUsd) * 1e6) / 1e6;
      ctx.emit({
        type: "model-call",
        ...base,
        model,
        ok: true,
        requests: 1,
        inputTokens: turn.inputTokens,
        outputTokens: turn.outputTokens,
        cacheReadTokens: turn.cacheReadTokens ?? 0,
        cacheWriteTokens: turn.cacheWriteTokens ?? 0,
        costUsd,
        priced: basis,
        latencyMs: Math.round(now() - started),
      });
      ctx.breaker.recordSuccess();
      return { ok: true, turn, costUsd, usage };
    } catch (error) {
      const failure = classifyProviderError(error, now());
      const detail = redact(failure.detail, ctx.secrets);
      ctx.emit({
        type: "model-call",
        ...base,
        ok: false,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        latencyMs: Math.round(now() - started),
        error: detail,
      });
      if (signal.aborted || failure.kind === "aborted")
        return { ok: false, failure: { kind: "aborted" }, usage };
      const retryAfter =
        "retryAfterMs" in failure ? failure.retryAfterMs : undefined;
      if (failure.kind === "rate-limit")
        ctx.emit({
          type: "rate-limited",
          ...pick(base),
          ...(retryAfter !== undefined
            ? { until: new Date(now() + retryAfter).toISOString() }
            : {}),
        });
      const decision = decideRetry(failure, attempt, ctx.retry);
      if (decision.retry) {
        ctx.emit({
          type: "retry",
          ...pick(base),
          attempt,
          delayMs: decision.delayMs,
          reason: failure.kind,
        });
        try {
          await sleep(decision.delayMs, signal);
        } catch {
          return { ok: false, failure: { kind: "aborted" }, usage };
        }
        continue;
      }
      const until = retryAfter === undefined ? undefined : now() + retryAfter;
      // A limit too long to wait out opens the breaker until its reset: every agent on it waits.
      const longLimit =
        failure.kind === "rate-limit" &&
        until !== undefined &&
        until - now() > ctx.retry.maxWaitMs;
      const counts = failure.kind !== "auth" && failure.kind !== "malformed";
      const opened =
        longLimit && until !== undefined
          ? ctx.breaker.openUntilTime(until)
          : counts && ctx.breaker.recordFailure(until);
      if (opened) {
        const state = ctx.breaker.state();
        if (state.open)
          ctx.emit({
            type: "circuit-open",
            ...pick(base),
            until: new Date(state.until).toISOString(),
          });
      }
      return {
        ok: false,
        failure: toFailure(failure.kind, detail, until),
        usage,
      };
    }
  }
}

function pick(base: { agent: string; provider: string }) {
  return { agent: base.agent, provider: base.provider };
}

function toFailure(
  kind: string,
  detail: string,
  until: number | undefined,
): AgentFailure {
  if (kind === "rate-limit")
    return {
      kind: "rate-limited",
      detail,
      ...(until !== undefined ? { until: new Date(until).toISOString() } : {}),
    };
  if (kind === "auth") return { kind: "auth", detail };
  if (kind === "malformed")
    return { kind: "crashed", detail: `malformed response: ${detail}` };
  return { kind: "crashed", detail };
}

/** The vendor whose rates price a client's unknown models; none for a custom endpoint. */
export function vendorOfClient(client: ModelClient): Vendor | undefined {
  if (client.custom === true) return undefined;
  return client.provider === "gemini" ? "google" : client.provider;
}

/**
 * A turn's cost, cached input at cache rates: at the price listed for the model asked for (the
 * name the config prices), else for the model that answered (an alias resolves to a listed
 * snapshot), else at the vendor's highest rates.
 */
function priceTurn(
  ctx: CallContext,
  turn: ModelTurn,
  answered: string,
): ReturnType<typeof priceCall> {
  const vendor = vendorOfClient(ctx.client);
  const asked = priceCall(ctx.client.model, turn, ctx.prices, vendor);
  if (asked.basis === "listed" || answered === ctx.client.model) return asked;
  const byAnswer = priceCall(answered, turn, ctx.prices, vendor);
  return byAnswer.basis === "listed" ? byAnswer : asked;
}
