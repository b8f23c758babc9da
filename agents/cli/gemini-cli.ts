/**
 * Gemini CLI headless: `gemini -p PROMPT --output-format json`. It prints one JSON object:
 * `response` (the final text), `stats.models[model].tokens` (`prompt`, `candidates`, `thoughts`,
 * `cached`, …) and `stats.models[model].api.totalRequests`, and `error` (`type`, `message`, `code`)
 * when it failed. Exit codes: 0 ok, 1 API error, 42 bad input, 53 turn limit.
 */
import type { AgentSpec } from "../config.js";
import { classifyFailureText, num, type CliResult } from "./cli-result.js";

/** The argument list for one task. */
export function geminiCliArgs(prompt: string, spec: AgentSpec): string[] {
  return [
    "-p",
    prompt,
    "--output-format",
    "json",
    // Approve every tool call: unattended in its own clone.
    "--yolo",
    ...(spec.model !== undefined ? ["--model", spec.model] : []),
  ];
}

/** Finds the JSON object in stdout (the CLI may print warnings before it). */
export function extractJsonObject(
  stdout: string,
): Record<string, unknown> | undefined {
  const start = stdout.search(/^\{/m);
  if (start < 0) return undefined;
  try {
    const value: unknown = JSON.parse(stdout.slice(start));
    return value !== null && typeof value === "object"
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Parses a finished `gemini -p --output-format json` run. */
export function parseGeminiCli(
  stdout: string,
  stderr: string,
  exitCode: number | null,
  now = new Date(),
): CliResult {
  const output = extractJsonObject(stdout);
  const models = ((output?.stats as { models?: unknown } | undefined)?.models ??
    {}) as Record<
    string,
    { api?: Record<string, unknown>; tokens?: Record<string, unknown> }
  >;
  let calls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const stats of Object.values(models)) {
    calls += num(stats.api?.totalRequests);
    inputTokens += num(stats.tokens?.prompt);
    outputTokens += num(stats.tokens?.candidates) + num(stats.tokens?.thoughts);
  }
  const model = Object.keys(models)[0];
  const counts = {
    calls,
    inputTokens,
    outputTokens,
    ...(model ? { model } : {}),
  };
  const error = output?.error as
    { message?: unknown; code?: unknown; type?: unknown } | undefined;
  if (exitCode === 53)
    return {
      verdict: {
        kind: "failed",
        error: {
          kind: "timed-out",
          detail: "gemini stopped at its turn limit",
        },
      },
      ...counts,
    };
  if (
    exitCode === 0 &&
    error === undefined &&
    typeof output?.response === "string"
  ) {
    return {
      verdict: {
        kind: "finished",
        summary: output.response.trim() || "finished",
      },
      ...counts,
    };
  }
  const text = [
    error
      ? `${String(error.type ?? "")} ${String(error.code ?? "")} ${String(error.message ?? "")}`
      : "",
    stderr,
    output ? "" : stdout,
  ].join("\n");
  return {
    verdict: {
      kind: "failed",
      error: classifyFailureText(text, exitCode, now),
    },
    ...counts,
  };
}
