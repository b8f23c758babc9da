/**
 * The reviewer contract: what a reviewing model is shown (the task, the diff against main, the
 * oracle's result, the files touched) and the structured verdict it answers with. Outcomes are
 * values: a reviewer that errors or is rate-limited says so, and that is never an approval.
 */
import type { BudgetPool } from "../spend/budget.js";
import type { AgentEvent, AgentFailure, Usage } from "../types.js";

/** How serious a finding is. */
export const Severities = ["blocker", "major", "minor", "nit"] as const;
/** One of {@link Severities}. */
export type Severity = (typeof Severities)[number];

/** One thing a reviewer wants changed, at a place in the work. */
export interface Finding {
  file: string;
  /** 1-based line in the new version of the file; 0 when the finding is about the file as a whole. */
  line: number;
  severity: Severity;
  text: string;
}

/** A reviewer's answer. */
export interface ReviewVerdict {
  verdict: "approve" | "request-changes";
  summary: string;
  findings: Finding[];
}

/** What a reviewer is shown. */
export interface ReviewRequest {
  task: { id: string; title: string; notes: string[] };
  /** The author agent's name (a reviewer never sees its key or conversation). */
  author: string;
  /** The attempt under review (1-based). */
  attempt: number;
  /** `git diff` of the work against the hub's main (clipped by the reviewer to its budget). */
  diff: string;
  files: string[];
  /** The oracle's result in words ("12 passed, 0 failed", or "no oracle configured"). */
  oracle: string;
  signal: AbortSignal;
  /** The author's clone with the work checked out: where a CLI reviewer runs, reading only. */
  workspaceDir?: string;
  /** The run's budget pool: a review call reserves from it like any call. */
  pool?: BudgetPool;
  /** Where this review's model-call events go (the gate tags them with the task). */
  onEvent?: (event: AgentEvent) => void;
}

/** A review's outcome, always with what it cost. */
export type ReviewOutcome =
  | ({ kind: "verdict"; usage: Usage } & ReviewVerdict)
  | { kind: "error"; failure: AgentFailure; usage: Usage };

/** One reviewer: a configured agent's model, asked for a verdict. Never throws for model failures. */
export interface Reviewer {
  readonly name: string;
  readonly kind: string;
  review(request: ReviewRequest): Promise<ReviewOutcome>;
}
