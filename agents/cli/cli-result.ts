/**
 * What a CLI agent's output parser returns, and the shared fallback classification of a run that
 * printed no usable result (rate limit, auth, crash) from its exit code and text.
 */
import type { ModelUsage } from "../spend/model-usage.js";
import type { AgentFailure } from "../types.js";
import {
  isAuthText,
  isRateLimitText,
  rateLimitResetTime,
} from "./rate-limit-text.js";
import type { CliToolEvent } from "./tool-events.js";

/** A parsed CLI run: the verdict, tokens, and cost when the CLI reports it (else priced by model). */
export interface CliResult {
  verdict:
    | { kind: "finished"; summary: string }
    | { kind: "gave-up"; reason: string }
    | { kind: "failed"; error: AgentFailure };
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Dollars as the CLI reported them; undefined to price the tokens with the table. */
  costUsd?: number;
  /** The model the CLI says it used, for pricing. */
  model?: string;
  /**
   * Model by model, when the CLI reports it (requests, tokens, cached tokens): each is priced at its
   * own rates and `calls` counts model requests. `reportedUsd` is the CLI's own figure for a model.
   */
  models?: (ModelUsage & { reportedUsd?: number })[];
  /** Cached input among `inputTokens`, when the CLI reports totals only. */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Tool calls the CLI reports only at the end (gemini's stats), for the event log. */
  toolCalls?: CliToolEvent[];
  /** The CLI's session id, where its own session log says more than its output (codex). */
  sessionId?: string;
}

/** Sums per-model usage into a result's totals: requests, all input tokens, output tokens. */
export function totalsOf(models: readonly ModelUsage[]): {
  calls: number;
  inputTokens: number;
  outputTokens: number;
} {
  return {
    calls: models.reduce((n, m) => n + m.requests, 0),
    inputTokens: models.reduce((n, m) => n + m.inputTokens, 0),
    outputTokens: models.reduce((n, m) => n + m.outputTokens, 0),
  };
}

/** Classifies a failed run from its text: rate-limited (with reset time), auth, or crashed. */
export function classifyFailureText(
  text: string,
  exitCode: number | null,
  now: Date = new Date(),
): AgentFailure {
  if (isRateLimitText(text)) {
    const until = rateLimitResetTime(text, now);
    return {
      kind: "rate-limited",
      detail: lastLines(text, 3),
      ...(until !== undefined ? { until } : {}),
    };
  }
  if (isAuthText(text)) return { kind: "auth", detail: lastLines(text, 3) };
  return {
    kind: "crashed",
    detail: `exit code ${exitCode ?? "none (killed)"}: ${lastLines(text, 8) || "no output"}`,
  };
}

/** The last `n` non-empty lines of a text, for failure details. */
export function lastLines(text: string, n: number): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "")
    .slice(-n)
    .join("\n")
    .slice(-2000);
}

/** Parses the JSON objects of a JSONL text, skipping lines that are not JSON objects. */
export function jsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{")) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value !== null && typeof value === "object" && !Array.isArray(value))
        out.push(value as Record<string, unknown>);
    } catch {
      // A CLI interleaves the odd non-JSON line (warnings); they carry no result.
    }
  }
  return out;
}

/** A number field or 0. */
export function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
