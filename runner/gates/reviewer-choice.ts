/**
 * Who reviews a piece of work. A task's `review:` overrides the config's `review.reviewers`; both
 * name configured agents by name or kind. With neither, the default is one agent of a different
 * vendor than the author, where one is configured (different models catch different things).
 * Pure: candidates and settings in, reviewer names or a problem out.
 */
import type { TaskGates } from "../../coordination/progress/task.js";
import type { ReviewConfig } from "./gates-config.js";

/** An agent that may review: its name and kind. */
export interface ReviewerCandidate {
  name: string;
  kind: string;
}

/** The company behind a kind: a reviewer from another one is the default. */
export function vendorOf(kind: string): string {
  if (kind === "anthropic" || kind === "claude-code") return "anthropic";
  if (kind === "openai" || kind === "codex") return "openai";
  if (kind === "gemini" || kind === "gemini-cli") return "google";
  return kind;
}

/** The reviewers of one task's work and the rule, or why they cannot be found. */
export type ReviewerChoice =
  | { ok: true; reviewers: string[]; rule: "all" | "any" }
  | { ok: false; problem: string };

/** Chooses the reviewers among `candidates` for work by `author`. */
export function chooseReviewers(
  candidates: readonly ReviewerCandidate[],
  author: ReviewerCandidate,
  config: Pick<ReviewConfig, "reviewers" | "rule">,
  task: Pick<TaskGates, "review">,
): ReviewerChoice {
  if (task.review === "none") return { ok: true, reviewers: [], rule: "all" };
  const rule = task.review?.rule ?? config.rule;
  const wanted = task.review?.reviewers ?? config.reviewers;
  if (wanted === undefined) {
    const other = candidates.find(
      (c) => vendorOf(c.kind) !== vendorOf(author.kind),
    );
    return { ok: true, reviewers: other ? [other.name] : [], rule };
  }
  const names: string[] = [];
  for (const want of wanted) {
    const match =
      candidates.find((c) => c.name === want) ??
      candidates.find((c) => c.kind === want && c.name !== author.name) ??
      candidates.find((c) => c.kind === want);
    if (match === undefined)
      return {
        ok: false,
        problem: `review: '${want}' names no agent that can review (reviewers here: ${candidates.map((c) => c.name).join(", ") || "none"}); fix review: in gitswarm.config.yaml or the task`,
      };
    if (!names.includes(match.name)) names.push(match.name);
  }
  return { ok: true, reviewers: names, rule };
}
