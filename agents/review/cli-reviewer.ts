/**
 * A reviewer over a vendor coding CLI (claude-code, codex, gemini-cli): the CLI runs once in its
 * read-only mode (`reviewArgs` of its driver) in the author's clone, with the review prompt of the
 * API reviewers asking for the verdict as one JSON object, which the same `parseVerdict` checks.
 * The run goes through the CLI agents' own path (agents/cli/cli-agent.ts): sandbox, secrets
 * scrubbed and redacted, pricing, `model-call` events, rate limits; and the budget pool like any
 * CLI run. A failed run or an answer that is no verdict is an error: never an approval.
 */
import type { AgentOptions } from "../api-agent.js";
import { breakerFor } from "../api-agent.js";
import { CLI_DRIVERS, runCli } from "../cli/cli-agent.js";
import type { AgentSpec } from "../config.js";
import { describeOutcome } from "../outcome-text.js";
import { drawOnPool } from "../spend/budget.js";
import type { WorkOutcome } from "../types.js";
import {
  buildCliReviewPrompt,
  jsonInText,
  parseVerdict,
} from "./review-prompt.js";
import type { ReviewOutcome, ReviewRequest, Reviewer } from "./review-types.js";

/** The CLI kinds that can review (their driver has a read-only mode). */
export function canCliReview(kind: string): boolean {
  return (
    CLI_DRIVERS[kind as keyof typeof CLI_DRIVERS]?.reviewArgs !== undefined
  );
}

/** A reviewer for a CLI spec; throws for a kind with no read-only mode (a bug: see canCliReview). */
export function createCliReviewer(
  spec: AgentSpec,
  options: AgentOptions = {},
): Reviewer {
  const driver = CLI_DRIVERS[spec.kind as keyof typeof CLI_DRIVERS];
  if (driver?.reviewArgs === undefined)
    throw new Error(`createCliReviewer: ${spec.kind} cannot review`);
  const breaker = breakerFor(spec, options);
  return {
    name: spec.name,
    kind: spec.kind,
    async review(request: ReviewRequest): Promise<ReviewOutcome> {
      const zero = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
      const open = breaker.state();
      if (open.open)
        return {
          kind: "error",
          failure: {
            kind: "rate-limited",
            until: new Date(open.until).toISOString(),
          },
          usage: zero,
        };
      const outcome = await drawOnPool(
        request.pool,
        () =>
          runCli(
            spec,
            driver,
            {
              workspaceDir: request.workspaceDir ?? process.cwd(),
              task: { ...request.task, needs: [], tags: [] },
              context: {},
              budget: { pool: request.pool },
              signal: request.signal,
            },
            {
              ...options,
              onEvent: request.onEvent ?? options.onEvent,
            },
            buildCliReviewPrompt(request),
          ),
        (detail): WorkOutcome => ({
          kind: "failed",
          error: { kind: "budget-exceeded", detail },
          usage: zero,
        }),
      );
      return toReview(outcome, breaker);
    },
  };
}

function toReview(
  outcome: WorkOutcome,
  breaker: ReturnType<typeof breakerFor>,
): ReviewOutcome {
  const { usage } = outcome;
  if (outcome.kind === "failed") {
    const error = outcome.error;
    if (error.kind === "rate-limited" && error.until !== undefined)
      breaker.openUntilTime(Date.parse(error.until));
    else if (error.kind === "rate-limited" || error.kind === "auth")
      breaker.recordFailure();
    return { kind: "error", failure: error, usage };
  }
  breaker.recordSuccess();
  if (outcome.kind !== "finished")
    return {
      kind: "error",
      failure: { kind: "crashed", detail: describeOutcome(outcome) },
      usage,
    };
  const parsed = parseVerdict(jsonInText(outcome.summary));
  if (!parsed.ok)
    return {
      kind: "error",
      failure: {
        kind: "crashed",
        detail: `no valid review: ${parsed.problem}; the CLI answered: ${outcome.summary.slice(0, 300)}`,
      },
      usage,
    };
  return { kind: "verdict", ...parsed.verdict, usage };
}
