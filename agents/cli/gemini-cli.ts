/**
 * Gemini CLI headless: `gemini -p PROMPT --output-format json`. It prints one JSON object:
 * `response` (the final text), `stats.models[model].tokens` (`prompt`, `candidates`, `thoughts`,
 * `cached`, …) and `stats.models[model].api.totalRequests`, and `error` (`type`, `message`, `code`)
 * when it failed, and `stats.tools.byName[tool]` (`count`, `success`, `fail`, `durationMs`).
 * Exit codes: 0 ok, 1 API error, 41 auth, 42 bad input, 53 turn limit. An error found before the
 * session starts (the auth method refused) is the same JSON object, printed on stderr instead.
 * Checked against the real CLI (0.61.0) and a local generateContent server.
 */
import type { AgentSpec } from "../config.js";
import {
  classifyFailureText,
  num,
  totalsOf,
  type CliResult,
} from "./cli-result.js";
import type { CliToolEvent } from "./tool-events.js";

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

/**
 * The argument list for a review: without `--yolo`, headless gemini leaves out every tool that
 * needs approval (writes, shell), so it can only read the clone.
 */
export function geminiCliReviewArgs(prompt: string, spec: AgentSpec): string[] {
  return [
    "-p",
    prompt,
    "--output-format",
    "json",
    ...(spec.model !== undefined ? ["--model", spec.model] : []),
  ];
}

/**
 * The variables `gemini` reads besides the scrubbed environment. The clone is gitswarm's own, so it
 * is trusted: in an untrusted folder the CLI quietly drops --yolo back to asking, and nobody answers.
 * A `baseUrl` becomes GOOGLE_GEMINI_BASE_URL; a key under the spec's own `apiKeyEnv` is handed over
 * as GEMINI_API_KEY.
 */
export function geminiCliEnv(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const key = spec.apiKeyEnv !== undefined ? env[spec.apiKeyEnv] : undefined;
  return {
    GEMINI_CLI_TRUST_WORKSPACE: "true",
    ...(spec.baseUrl !== undefined
      ? { GOOGLE_GEMINI_BASE_URL: spec.baseUrl }
      : {}),
    ...(key !== undefined && key !== "" ? { GEMINI_API_KEY: key } : {}),
  };
}

/** The settings.json fragment that picks the API-key auth type (doctor's fix names it too). */
export const GEMINI_KEY_AUTH_SETTING =
  '{"security":{"auth":{"selectedType":"gemini-api-key"}}}';

/** gemini-cli 0.61 derives the auth type "gateway" from a base URL and then rejects it headless. */
const GATEWAY_AUTH_FIX = `with a baseUrl, gemini-cli needs its auth type chosen: add ${GEMINI_KEY_AUTH_SETTING} to ~/.gemini/settings.json`;

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

/**
 * The run's tool calls from `stats.tools.byName`: one event per call, failures first per tool, each
 * timed at the tool's mean duration (the JSON output reports totals per tool, not each call).
 */
export function geminiToolCalls(
  output: Record<string, unknown> | undefined,
): CliToolEvent[] {
  const stats = output?.stats as { tools?: { byName?: unknown } } | undefined;
  const byName = stats?.tools?.byName;
  if (byName === null || typeof byName !== "object") return [];
  const out: CliToolEvent[] = [];
  for (const [tool, raw] of Object.entries(byName as Record<string, unknown>)) {
    const t = (raw ?? {}) as Record<string, unknown>;
    const count = num(t.count);
    const fail = Math.min(num(t.fail), count);
    const ms = count > 0 ? Math.round(num(t.durationMs) / count) : 0;
    for (let i = 0; i < count; i++) out.push({ tool, ok: i >= fail, ms });
  }
  return out;
}

/** Parses a finished `gemini -p --output-format json` run. */
export function parseGeminiCli(
  stdout: string,
  stderr: string,
  exitCode: number | null,
  now = new Date(),
): CliResult {
  // Setup failures (auth) print their JSON on stderr and leave stdout empty.
  const output = extractJsonObject(stdout) ?? extractJsonObject(stderr);
  const models = ((output?.stats as { models?: unknown } | undefined)?.models ??
    {}) as Record<
    string,
    { api?: Record<string, unknown>; tokens?: Record<string, unknown> }
  >;
  // Every model of the run on its own (the router's flash-lite and the main model differ tenfold):
  // `prompt` counts all input, `cached` the part served from the cache; thoughts bill as output.
  const usages = Object.entries(models).map(([model, stats]) => ({
    model,
    requests: num(stats.api?.totalRequests),
    inputTokens: num(stats.tokens?.prompt),
    cacheReadTokens: num(stats.tokens?.cached),
    outputTokens: num(stats.tokens?.candidates) + num(stats.tokens?.thoughts),
  }));
  const main = [...usages].sort((a, b) => b.inputTokens - a.inputTokens)[0];
  const toolCalls = geminiToolCalls(output);
  const counts = {
    ...totalsOf(usages),
    ...(main ? { model: main.model } : {}),
    models: usages,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
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
  const message = String(error?.message ?? "");
  if (exitCode === 41 || error?.code === 41)
    return {
      verdict: {
        kind: "failed",
        error: {
          kind: "auth",
          detail: /Invalid auth method selected/.test(message)
            ? `${message} (${GATEWAY_AUTH_FIX})`
            : message || "gemini could not authenticate",
        },
      },
      ...counts,
    };
  const text = [
    error
      ? `${String(error.type ?? "")} ${String(error.code ?? "")} ${message}`
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
