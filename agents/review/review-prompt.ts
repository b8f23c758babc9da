/**
 * The words and the schema of a review: the prompt built from what a reviewer is shown, the one
 * tool (`submit_review`, a JSON Schema every vendor's tool calling takes) through which the verdict
 * comes back structured, and its validation. Pure.
 */
import type { ToolSpec } from "../providers/model-client.js";
import {
  Severities,
  type Finding,
  type ReviewRequest,
  type ReviewVerdict,
  type Severity,
} from "./review-types.js";

/** The tool a reviewer answers through. */
export const REVIEW_TOOL: ToolSpec = {
  name: "submit_review",
  description:
    "Submit your review of the change: approve it, or request changes with findings.",
  parameters: {
    type: "object",
    properties: {
      verdict: { type: "string", enum: ["approve", "request-changes"] },
      summary: { type: "string", description: "One or two sentences." },
      findings: {
        type: "array",
        description: "What must change (empty when approving).",
        items: {
          type: "object",
          properties: {
            file: { type: "string" },
            line: {
              type: "integer",
              description: "1-based; 0 for the whole file",
            },
            severity: { type: "string", enum: [...Severities] },
            text: {
              type: "string",
              description: "What is wrong and what to do.",
            },
          },
          required: ["file", "line", "severity", "text"],
        },
      },
    },
    required: ["verdict", "summary", "findings"],
  },
};

/** The reviewer's system prompt. */
export const REVIEW_SYSTEM = [
  "You review one change another coding agent made to a shared repository, before it lands.",
  "Judge whether it does what the task asks, correctly and safely, without breaking anything else.",
  "Approve when it does. Request changes only for real problems, each as a finding at a file and line.",
  "Answer only by calling submit_review once.",
].join("\n");

const MAX_DIFF_CHARS = 60_000;

/**
 * The whole prompt of a vendor CLI reviewer, which has no `submit_review` tool: the same review,
 * answered as one JSON object of the tool's schema in its final message.
 */
export function buildCliReviewPrompt(request: ReviewRequest): string {
  return [
    REVIEW_SYSTEM.replace(
      "Answer only by calling submit_review once.",
      "You may read the files of the working directory (the change is applied there); change nothing.",
    ),
    "",
    buildReviewPrompt(request, "json"),
  ].join("\n");
}

/** The review prompt for one change; `json`: answered as a JSON object in text (a CLI reviewer). */
export function buildReviewPrompt(
  request: ReviewRequest,
  answer: "tool" | "json" = "tool",
): string {
  const { task } = request;
  const diff =
    request.diff.length <= MAX_DIFF_CHARS
      ? request.diff
      : `${request.diff.slice(0, MAX_DIFF_CHARS)}\n[... ${request.diff.length - MAX_DIFF_CHARS} more characters of the diff cut]`;
  return [
    `# Review task ${task.id}: ${task.title}`,
    `Author: ${request.author}, attempt ${request.attempt}.`,
    ...(task.notes.length > 0
      ? ["", "## Task notes", ...task.notes.map((n) => `- ${n}`)]
      : []),
    "",
    `## Oracle: ${request.oracle}`,
    "",
    `## Files touched (${request.files.length})`,
    ...request.files.map((f) => `- ${f}`),
    "",
    "## Diff against main",
    "```diff",
    diff,
    "```",
    "",
    answer === "tool"
      ? "Call submit_review with your verdict."
      : `Answer with only one JSON object, no other text: {"verdict": "approve" | "request-changes", "summary": "one or two sentences", "findings": [{"file": "path", "line": 1, "severity": "blocker" | "major" | "minor" | "nit", "text": "what is wrong and what to do"}]} (findings empty when approving).`,
  ].join("\n");
}

/** Validates a verdict as the model sent it (tool arguments or a JSON object in text). */
export function parseVerdict(
  value: unknown,
): { ok: true; verdict: ReviewVerdict } | { ok: false; problem: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { ok: false, problem: "the review is not a JSON object" };
  const v = value as Record<string, unknown>;
  if (v.verdict !== "approve" && v.verdict !== "request-changes")
    return {
      ok: false,
      problem: `verdict must be 'approve' or 'request-changes', got ${JSON.stringify(v.verdict)}`,
    };
  const raw = Array.isArray(v.findings) ? v.findings : [];
  const findings: Finding[] = [];
  for (const item of raw) {
    if (item === null || typeof item !== "object") continue;
    const f = item as Record<string, unknown>;
    if (typeof f.text !== "string" || f.text.trim() === "") continue;
    const severity = Severities.includes(f.severity as Severity)
      ? (f.severity as Severity)
      : "major";
    const line = Number(f.line);
    findings.push({
      file: typeof f.file === "string" ? f.file : "",
      line: Number.isInteger(line) && line > 0 ? line : 0,
      severity,
      text: f.text.trim(),
    });
  }
  if (v.verdict === "request-changes" && findings.length === 0)
    return {
      ok: false,
      problem: "request-changes needs at least one finding with a text",
    };
  return {
    ok: true,
    verdict: {
      verdict: v.verdict,
      summary: typeof v.summary === "string" ? v.summary.trim() : "",
      findings,
    },
  };
}

/** A JSON object in free text (a model that answered in prose, or a CLI's JSON output). */
export function jsonInText(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/** One finding as the author's next prompt shows it: `[severity] file:line text`. */
export function formatFinding(finding: Finding): string {
  const where =
    finding.file === ""
      ? ""
      : `${finding.file}${finding.line > 0 ? `:${finding.line}` : ""} `;
  return `[${finding.severity}] ${where}${finding.text}`;
}
