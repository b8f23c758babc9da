/**
 * A reviewer over a vendor API (anthropic, openai, gemini): one request with the review prompt and
 * the `submit_review` tool through the same client, retries, circuit breaker, prices and budget
 * pool as the agents' own calls; one more request when the answer is not a valid verdict.
 */
import { breakerFor, createModelClient, apiKeyEnvOf } from "../api-agent.js";
import type { AgentOptions } from "../api-agent.js";
import type { AgentSpec } from "../config.js";
import { callModel, type CallContext } from "../providers/model-call.js";
import { DEFAULT_RETRY } from "../providers/retry.js";
import { secretValues } from "../secrets.js";
import { costOf, DEFAULT_PRICES, estimateTokens } from "../spend/cost.js";
import { addUsage, emptyUsage, type Usage } from "../types.js";
import {
  buildReviewPrompt,
  jsonInText,
  parseVerdict,
  REVIEW_SYSTEM,
  REVIEW_TOOL,
} from "./review-prompt.js";
import type { ReviewOutcome, ReviewRequest, Reviewer } from "./review-types.js";

const MAX_CALLS = 2;

/** A reviewer for an API spec; a missing key is an `auth` error of each review. */
export function createApiReviewer(
  spec: AgentSpec,
  options: AgentOptions = {},
): Reviewer {
  const env = options.env ?? process.env;
  const client = createModelClient(spec, env);
  const breaker = breakerFor(spec, options);
  return {
    name: spec.name,
    kind: spec.kind,
    async review(request: ReviewRequest): Promise<ReviewOutcome> {
      let usage: Usage = emptyUsage();
      if (typeof client === "string")
        return {
          kind: "error",
          failure: { kind: "auth", detail: client },
          usage,
        };
      const ctx: CallContext = {
        agent: spec.name,
        client,
        prices: options.prices ?? DEFAULT_PRICES,
        retry: { ...DEFAULT_RETRY, ...options.retry },
        breaker,
        secrets: secretValues(env, [
          apiKeyEnvOf(spec),
          ...(options.keyNames ?? []),
        ]),
        emit: request.onEvent ?? options.onEvent ?? (() => undefined),
      };
      let prompt = buildReviewPrompt(request);
      let problem = "no answer";
      for (let call = 1; call <= MAX_CALLS; call += 1) {
        const expected = costOf(
          client.model,
          {
            inputTokens: estimateTokens(REVIEW_SYSTEM.length + prompt.length),
            outputTokens: 2000,
          },
          ctx.prices,
        );
        const reserved = await request.pool?.reserve(expected);
        if (reserved?.ok === false)
          return {
            kind: "error",
            failure: { kind: "budget-exceeded", detail: reserved.detail },
            usage,
          };
        const result = await callModel(
          ctx,
          { system: REVIEW_SYSTEM, messages: [{ role: "user", text: prompt }] },
          [REVIEW_TOOL],
          request.signal,
        );
        usage = addUsage(usage, result.usage);
        await request.pool?.settle(result.usage.costUsd);
        if (!result.ok)
          return { kind: "error", failure: result.failure, usage };
        const call_ = result.turn.toolCalls.find(
          (c) => c.name === REVIEW_TOOL.name,
        );
        const parsed = parseVerdict(
          call_ !== undefined ? call_.args : jsonInText(result.turn.text),
        );
        if (parsed.ok) return { kind: "verdict", ...parsed.verdict, usage };
        problem = parsed.problem;
        prompt = `${buildReviewPrompt(request)}\n\nYour previous answer was not a valid review (${problem}). Call submit_review exactly once.`;
      }
      return {
        kind: "error",
        failure: { kind: "crashed", detail: `no valid review: ${problem}` },
        usage,
      };
    },
  };
}
