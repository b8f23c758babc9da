/**
 * The reviewers a run offers its agents: every API agent and every vendor CLI agent with a
 * read-only mode (claude-code, codex, gemini-cli) of the roster, one per spec, and the extra ones a
 * caller adds (the demo's scripted reviewer). A `review:` that names none of them (a typo, an
 * aider or command agent) is refused before the run starts.
 */
import { ApiKinds, type AgentSpec } from "../../agents/index.js";
import { canCliReview } from "../../agents/review/cli-reviewer.js";
import { UserError } from "../../coordination/base/errors.js";
import type { ReviewerSpec } from "../agent/agent-job.js";
import type { RosterEntry } from "../swarm/agent-roster.js";
import type { ReviewConfig } from "./gates-config.js";

/** The reviewer candidates of a run, one per spec name. */
export function reviewerSpecs(
  roster: readonly RosterEntry[],
  extra: readonly ReviewerSpec[] = [],
): ReviewerSpec[] {
  const specs: ReviewerSpec[] = [];
  for (const { spec } of roster)
    if (
      spec.kind !== "scripted" &&
      ((ApiKinds as readonly string[]).includes(spec.kind) ||
        canCliReview(spec.kind)) &&
      !specs.some((s) => s.name === spec.name)
    )
      specs.push(spec as AgentSpec);
  return [...specs, ...extra];
}

/** Refuses a `review.reviewers` entry that names no reviewer candidate (a typo, a CLI agent). */
export function checkReviewConfig(
  config: Pick<ReviewConfig, "reviewers">,
  candidates: readonly ReviewerSpec[],
): void {
  for (const want of config.reviewers ?? [])
    if (!candidates.some((c) => c.name === want || c.kind === want))
      throw new UserError(
        "bad-config",
        `gitswarm.config.yaml: review.reviewers: '${want}' names no agent that can review; reviewers are API agents (anthropic, openai, gemini) and vendor CLI agents (claude-code, codex, gemini-cli), by name or kind: ${candidates.map((c) => c.name).join(", ") || "none configured"}`,
      );
}

/** What the run-start event's gate list needs to know about a run. */
export function gateFacts(options: {
  oracle: boolean;
  roster: readonly RosterEntry[];
  reviewers?: readonly ReviewerSpec[];
  config: { review: Pick<ReviewConfig, "human"> };
}): { oracle: boolean; review: boolean; human: boolean } {
  return {
    oracle: options.oracle,
    review: reviewerSpecs(options.roster, options.reviewers).length > 0,
    human: options.config.review.human,
  };
}
