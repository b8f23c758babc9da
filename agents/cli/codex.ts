/**
 * Codex CLI non-interactive: `codex exec --json PROMPT`. Every line is an event: `thread.started`,
 * `turn.started`, `item.started`/`item.completed` (items such as `agent_message` with `text`,
 * `command_execution`, `file_change`), `turn.completed` with `usage` (`input_tokens`,
 * `cached_input_tokens`, `output_tokens`), `turn.failed` with `error.message`, and `error`.
 */
import type { AgentSpec } from "../config.js";
import {
  classifyFailureText,
  jsonLines,
  num,
  type CliResult,
} from "./cli-result.js";

/** The argument list for one task. */
export function codexArgs(prompt: string, spec: AgentSpec): string[] {
  return [
    "exec",
    "--json",
    // Sandboxed writes to the workspace, no approval prompts: nobody is there to answer them.
    "--full-auto",
    "--skip-git-repo-check",
    ...(spec.model !== undefined ? ["--model", spec.model] : []),
    prompt,
  ];
}

/** Parses a finished `codex exec --json` run. */
export function parseCodex(
  stdout: string,
  stderr: string,
  exitCode: number | null,
  now = new Date(),
): CliResult {
  const events = jsonLines(stdout);
  let calls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let lastMessage = "";
  const errors: string[] = [];
  for (const event of events) {
    if (event.type === "turn.completed") {
      calls += 1;
      const usage = (event.usage ?? {}) as Record<string, unknown>;
      inputTokens += num(usage.input_tokens);
      outputTokens +=
        num(usage.output_tokens) + num(usage.reasoning_output_tokens);
    }
    if (event.type === "turn.failed") {
      calls += 1;
      errors.push(
        String(
          (event.error as { message?: unknown } | undefined)?.message ??
            "turn failed",
        ),
      );
    }
    if (event.type === "error") errors.push(String(event.message ?? "error"));
    const item = event.item as { type?: unknown; text?: unknown } | undefined;
    if (
      event.type === "item.completed" &&
      item?.type === "agent_message" &&
      typeof item.text === "string"
    )
      lastMessage = item.text;
  }
  const counts = { calls, inputTokens, outputTokens };
  const failedTurn = events.some((e) => e.type === "turn.failed");
  if (exitCode === 0 && !failedTurn && calls > 0)
    return {
      verdict: { kind: "finished", summary: lastMessage.trim() || "finished" },
      ...counts,
    };
  return {
    verdict: {
      kind: "failed",
      error: classifyFailureText([...errors, stderr].join("\n"), exitCode, now),
    },
    ...counts,
  };
}
