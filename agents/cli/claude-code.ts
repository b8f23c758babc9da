/**
 * Claude Code in print mode: `claude -p PROMPT --output-format stream-json --verbose`. Every line is
 * a JSON event (`system` init, `assistant`, `user`, …); the last is a `result` event with
 * `subtype` (success, error_max_turns, error_during_execution), `is_error`, `result` text,
 * `num_turns`, `total_cost_usd` and `usage`.
 */
import type { AgentSpec } from "../config.js";
import {
  classifyFailureText,
  jsonLines,
  num,
  type CliResult,
} from "./cli-result.js";

/** The argument list for one task. */
export function claudeCodeArgs(prompt: string, spec: AgentSpec): string[] {
  return [
    "-p",
    prompt,
    "--output-format",
    "stream-json",
    // stream-json in print mode requires --verbose.
    "--verbose",
    // Unattended in its own clone: no one is there to approve tool use.
    "--dangerously-skip-permissions",
    "--max-turns",
    String(spec.maxTurns),
    ...(spec.model !== undefined ? ["--model", spec.model] : []),
  ];
}

/** Parses a finished `claude -p` run. */
export function parseClaudeCode(
  stdout: string,
  stderr: string,
  exitCode: number | null,
  now = new Date(),
): CliResult {
  const events = jsonLines(stdout);
  const result = events.filter((e) => e.type === "result").at(-1);
  const init = events.find((e) => e.type === "system" && e.subtype === "init");
  const model = typeof init?.model === "string" ? init.model : undefined;
  if (result === undefined) {
    return {
      verdict: {
        kind: "failed",
        error: classifyFailureText(`${stderr}\n${stdout}`, exitCode, now),
      },
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      ...(model ? { model } : {}),
    };
  }
  const usage = (result.usage ?? {}) as Record<string, unknown>;
  const counts = {
    calls: Math.max(1, num(result.num_turns)),
    inputTokens:
      num(usage.input_tokens) +
      num(usage.cache_creation_input_tokens) +
      num(usage.cache_read_input_tokens),
    outputTokens: num(usage.output_tokens),
    ...(typeof result.total_cost_usd === "number"
      ? { costUsd: result.total_cost_usd }
      : {}),
    ...(model ? { model } : {}),
  };
  const text = typeof result.result === "string" ? result.result : "";
  if (result.subtype === "success" && result.is_error !== true)
    return {
      verdict: { kind: "finished", summary: text.trim() || "finished" },
      ...counts,
    };
  if (result.subtype === "error_max_turns")
    return {
      verdict: {
        kind: "failed",
        error: {
          kind: "timed-out",
          detail: `claude stopped at its turn limit (${num(result.num_turns)} turns)`,
        },
      },
      ...counts,
    };
  return {
    verdict: {
      kind: "failed",
      error: classifyFailureText(`${text}\n${stderr}`, exitCode, now),
    },
    ...counts,
  };
}
