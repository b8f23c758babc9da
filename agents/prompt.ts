/**
 * The words an agent starts from: a system prompt stating the rules of the workspace, and a task
 * prompt built from the task, its notes, DESIGN.md, the PROGRESS.md excerpt and the last failure.
 * Pure functions; the same task prompt goes to API agents and to CLI agents.
 */
import type { WorkRequest } from "./types.js";

const MAX_SECTION_CHARS = 12_000;

/** The system prompt of the shared tool loop. */
export function buildSystemPrompt(withOracle: boolean): string {
  return [
    "You are a coding agent working alone in a git clone of a shared repository (your workspace).",
    "Use the tools to read, change and test files. Paths are relative to the workspace root; you cannot leave it.",
    "Do not commit or push: the runner commits your changes when you call finish.",
    withOracle
      ? "Run run_oracle_sample before finishing: the full oracle gates every merge."
      : "Run the tests before finishing.",
    "When the task is done, call finish with a short summary. If it cannot be done, call give_up with the reason.",
  ].join("\n");
}

/** The task prompt: what to do, and everything the runner knows that helps. */
export function buildTaskPrompt(
  request: Pick<WorkRequest, "task" | "context">,
): string {
  const { task, context } = request;
  const lines = [`# Task ${task.id}: ${task.title}`];
  if (task.needs.length > 0)
    lines.push(`Depends on (already done): ${task.needs.join(", ")}`);
  if (task.tags.length > 0) lines.push(`Tags: ${task.tags.join(", ")}`);
  if (task.notes.length > 0)
    lines.push("", "## Notes", ...task.notes.map((n) => `- ${n}`));
  if (context.previousFailure)
    lines.push(
      "",
      "## The previous attempt failed",
      clip(context.previousFailure),
    );
  if (context.progressExcerpt)
    lines.push("", "## From PROGRESS.md", clip(context.progressExcerpt));
  if (context.design) lines.push("", "## DESIGN.md", clip(context.design));
  lines.push(
    "",
    "Work in the current directory. When done and verified, finish; if blocked, give up with the reason.",
  );
  return lines.join("\n");
}

function clip(text: string): string {
  return text.length <= MAX_SECTION_CHARS
    ? text
    : `${text.slice(0, MAX_SECTION_CHARS)}\n[... ${text.length - MAX_SECTION_CHARS} more characters cut]`;
}
