/**
 * Claude Code in print mode: `claude -p PROMPT --output-format stream-json --verbose`. Every line is
 * a JSON event (`system` init, `assistant`, `user`, …); the last is a `result` event with
 * `subtype` (success, error_max_turns, error_during_execution), `is_error`, `result` text,
 * `num_turns`, `total_cost_usd` and `usage`; an API failure also carries `api_error_status` (429,
 * 401) and `api_error_type`. Checked against the real CLI (2.1.328) and a local Messages server.
 */
import type { AgentSpec } from "../config.js";
import {
  classifyFailureText,
  jsonLines,
  num,
  totalsOf,
  type CliResult,
} from "./cli-result.js";

/** The argument list for one task. */
export function claudeCodeArgs(prompt: string, spec: AgentSpec): string[] {
  // Unattended in its own clone: no one is there to approve tool use.
  return printArgs(prompt, spec, ["--dangerously-skip-permissions"]);
}

/** Tools a reviewing `claude` may not use: it reads the clone, it changes nothing. */
const REVIEW_DENIED =
  "Bash,Edit,Write,MultiEdit,NotebookEdit,WebFetch,WebSearch";

/**
 * The argument list for a review: read-only (the writing tools denied, no permissions skipped, so
 * anything else that needs approval is refused in print mode); the verdict is its final text.
 */
export function claudeCodeReviewArgs(
  prompt: string,
  spec: AgentSpec,
): string[] {
  return printArgs(prompt, spec, ["--disallowedTools", REVIEW_DENIED]);
}

/** Print mode with a stream of JSON events, and what the run may do without asking. */
function printArgs(
  prompt: string,
  spec: AgentSpec,
  permissions: readonly string[],
): string[] {
  return [
    "-p",
    prompt,
    "--output-format",
    "stream-json",
    // stream-json in print mode requires --verbose.
    "--verbose",
    ...permissions,
    "--max-turns",
    String(spec.maxTurns),
    ...(spec.model !== undefined ? ["--model", spec.model] : []),
  ];
}

/**
 * The variables `claude` reads besides the scrubbed environment: a `baseUrl` becomes
 * ANTHROPIC_BASE_URL, and a key kept under the spec's own `apiKeyEnv` is handed over as
 * ANTHROPIC_API_KEY, the name the CLI reads.
 */
export function claudeCodeEnv(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const key = spec.apiKeyEnv !== undefined ? env[spec.apiKeyEnv] : undefined;
  return {
    ...(spec.baseUrl !== undefined ? { ANTHROPIC_BASE_URL: spec.baseUrl } : {}),
    ...(key !== undefined && key !== "" ? { ANTHROPIC_API_KEY: key } : {}),
  };
}

/** What `claude` prints (and exits 1) when started as root outside a declared sandbox. */
const ROOT_REFUSAL =
  /--dangerously-skip-permissions cannot be used with root\/sudo privileges/;

/** The fix for {@link ROOT_REFUSAL}: the CLI checks IS_SANDBOX=1 (or a bubblewrap sandbox) under root. */
const ROOT_FIX =
  "claude refuses --dangerously-skip-permissions as root: run gitswarm as a normal user, or set IS_SANDBOX=1 when the swarm runs inside a container or VM";

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
    const refused = ROOT_REFUSAL.test(stderr);
    return {
      verdict: {
        kind: "failed",
        error: refused
          ? { kind: "crashed", detail: ROOT_FIX }
          : classifyFailureText(`${stderr}\n${stdout}`, exitCode, now),
      },
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      ...(model ? { model } : {}),
    };
  }
  const usage = (result.usage ?? {}) as Record<string, unknown>;
  const models = claudeModels(events, result);
  const counts = {
    calls: Math.max(1, num(result.num_turns)),
    inputTokens:
      num(usage.input_tokens) +
      num(usage.cache_creation_input_tokens) +
      num(usage.cache_read_input_tokens),
    cacheReadTokens: num(usage.cache_read_input_tokens),
    cacheWriteTokens: num(usage.cache_creation_input_tokens),
    outputTokens: num(usage.output_tokens),
    ...(typeof result.total_cost_usd === "number"
      ? { costUsd: result.total_cost_usd }
      : {}),
    ...(models.length > 0 ? { ...totalsOf(models), models } : {}),
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
  // The API status is structured on the result; the wording ("Request rejected (429)") may change.
  const status = num(result.api_error_status);
  const apiText = [
    status === 429 || result.api_error_type === "rate_limit_error"
      ? "429 rate limit"
      : "",
    status === 401 || result.api_error_type === "authentication_error"
      ? "authentication_error"
      : "",
  ].join(" ");
  return {
    verdict: {
      kind: "failed",
      error: classifyFailureText(
        `${apiText}\n${text}\n${stderr}`.trim(),
        exitCode,
        now,
      ),
    },
    ...counts,
  };
}

/**
 * The run model by model from the result's `modelUsage` (tokens and the CLI's own cost per model,
 * side models such as a haiku for titles included); requests are the distinct API message ids of
 * the `assistant` events of that model, at least one for a model that spent tokens.
 */
function claudeModels(
  events: Record<string, unknown>[],
  result: Record<string, unknown>,
): NonNullable<CliResult["models"]> {
  const ids = new Map<string, Set<string>>();
  for (const e of events) {
    const message = e.message as { id?: unknown; model?: unknown } | undefined;
    if (e.type !== "assistant" || typeof message?.model !== "string") continue;
    const set = ids.get(message.model) ?? new Set<string>();
    set.add(String(message.id ?? set.size));
    ids.set(message.model, set);
  }
  const perModel = (result.modelUsage ?? {}) as Record<
    string,
    Record<string, unknown>
  >;
  return Object.entries(perModel).map(([model, u]) => {
    const cacheRead = num(u.cacheReadInputTokens);
    const cacheWrite = num(u.cacheCreationInputTokens);
    return {
      model,
      requests: Math.max(1, ids.get(model)?.size ?? 0),
      inputTokens: num(u.inputTokens) + cacheRead + cacheWrite,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      outputTokens: num(u.outputTokens),
      ...(typeof u.costUSD === "number" ? { reportedUsd: u.costUSD } : {}),
    };
  });
}
