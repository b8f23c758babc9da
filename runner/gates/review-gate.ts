/**
 * The AI review gate: each chosen reviewer (runner/gates/reviewer-choice.ts) is shown the task,
 * the diff against main, the oracle's result and the files touched, and answers approve or
 * request-changes with findings. Changes requested is a failed attempt whose findings, verbatim,
 * are the next prompt's previous failure; a reviewer that errors or is rate-limited is no approval
 * and defers the work (released without counting an attempt). Review calls are `model-call`
 * events tagged with the task, so they count in its cost and in the run's budget.
 */
import type {
  Reviewer,
  ReviewOutcome,
} from "../../agents/review/review-types.js";
import { formatFinding } from "../../agents/review/review-prompt.js";
import type { BudgetPool } from "../../agents/spend/budget.js";
import type { AgentEvent } from "../../agents/types.js";
import type { EventInput } from "../../coordination/base/events.js";
import type { Task } from "../../coordination/progress/task.js";
import { readTaskGates } from "../../coordination/progress/task.js";
import type { ReviewConfig } from "./gates-config.js";
import { chooseReviewers, type ReviewerCandidate } from "./reviewer-choice.js";

/** What the review gate needs for one piece of work. */
export interface ReviewInput {
  task: Task;
  author: ReviewerCandidate;
  attempt: number;
  diff: string;
  files: string[];
  oracle: string;
  /** The author's clone, the work checked out: where a CLI reviewer reads. */
  workspaceDir?: string;
  /** Every reviewer this agent process can call (the chosen ones are picked from these). */
  reviewers: readonly Reviewer[];
  config: Pick<ReviewConfig, "reviewers" | "rule">;
  pool?: BudgetPool;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
}

/** The review gate's verdict; `deferred`: no verdict could be had, which costs no attempt. */
export type ReviewResult =
  | { ok: true; record?: string }
  | { ok: false; reason: string; deferred?: boolean };

/** Runs the chosen reviewers in parallel and applies the rule. */
export async function reviewWork(input: ReviewInput): Promise<ReviewResult> {
  const choice = chooseReviewers(
    input.reviewers,
    input.author,
    input.config,
    readTaskGates(input.task).gates,
  );
  if (!choice.ok) return { ok: false, reason: choice.problem };
  if (choice.reviewers.length === 0) return { ok: true };
  const chosen = choice.reviewers.map(
    (name) => input.reviewers.find((r) => r.name === name) as Reviewer,
  );
  const outcomes = await Promise.all(
    chosen.map(async (reviewer) => {
      const outcome = await reviewer.review({
        task: input.task,
        author: input.author.name,
        attempt: input.attempt,
        diff: input.diff,
        files: input.files,
        oracle: input.oracle,
        workspaceDir: input.workspaceDir,
        signal: input.signal,
        pool: input.pool,
        onEvent: (event) => forward(input, event),
      });
      report(input, reviewer.name, outcome);
      return { reviewer: reviewer.name, outcome };
    }),
  );
  return combineReviews(choice.rule, outcomes);
}

/** The rule over the reviewers' outcomes. Pure. */
export function combineReviews(
  rule: "all" | "any",
  reviews: readonly { reviewer: string; outcome: ReviewOutcome }[],
): ReviewResult {
  const approved = reviews.filter(
    (r) => r.outcome.kind === "verdict" && r.outcome.verdict === "approve",
  );
  const requested = reviews.filter(
    (r) =>
      r.outcome.kind === "verdict" && r.outcome.verdict === "request-changes",
  );
  const errored = reviews.filter((r) => r.outcome.kind === "error");
  const record = `approved by ${approved.map((r) => r.reviewer).join(", ")} (rule ${rule})`;
  if (rule === "any" && approved.length > 0) return { ok: true, record };
  if (requested.length > 0 && (rule === "all" || errored.length === 0))
    return { ok: false, reason: changesReason(requested) };
  if (errored.length > 0)
    return {
      ok: false,
      deferred: true,
      reason: `review not done: ${errored.map((r) => `${r.reviewer}: ${describeError(r.outcome)}`).join("; ")}`,
    };
  return { ok: true, record };
}

function changesReason(
  requested: readonly { reviewer: string; outcome: ReviewOutcome }[],
): string {
  return requested
    .map(({ reviewer, outcome }) => {
      if (outcome.kind !== "verdict") return "";
      const findings = outcome.findings.map(formatFinding).join(" | ");
      return `review: ${reviewer} requested changes: ${findings}${outcome.summary ? ` (${outcome.summary})` : ""}`;
    })
    .join(" || ");
}

function describeError(outcome: ReviewOutcome): string {
  if (outcome.kind !== "error") return "";
  const { failure } = outcome;
  if (failure.kind === "rate-limited")
    return `rate limited${failure.until ? ` until ${failure.until}` : ""}`;
  return `${failure.kind}${"detail" in failure && failure.detail ? ` (${failure.detail})` : ""}`;
}

/** A review's model calls go to the run's log tagged with the task they were for. */
function forward(input: ReviewInput, event: AgentEvent): void {
  if (event.type !== "model-call") return;
  input.emit({
    type: "model-call",
    agent: event.agent,
    provider: event.provider,
    model: event.model,
    inputTokens: event.inputTokens,
    outputTokens: event.outputTokens,
    costUsd: event.costUsd,
    latencyMs: event.latencyMs,
    task: input.task.id,
  });
}

function report(input: ReviewInput, reviewer: string, outcome: ReviewOutcome) {
  input.emit({
    type: "review",
    agent: input.author.name,
    task: input.task.id,
    reviewer,
    attempt: input.attempt,
    verdict: outcome.kind === "verdict" ? outcome.verdict : "error",
    findings: outcome.kind === "verdict" ? outcome.findings.length : 0,
    costUsd: outcome.usage.costUsd,
    ...(outcome.kind === "error" ? { detail: describeError(outcome) } : {}),
  });
}
