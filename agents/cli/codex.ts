/**
 * Codex CLI non-interactive: `codex exec --json PROMPT`. Every line is an event: `thread.started`,
 * `turn.started`, `item.started`/`item.completed` (items such as `agent_message` with `text`,
 * `command_execution`, `file_change`, and `error` for warnings), `turn.completed` with `usage`
 * summed over the turn's model calls (`input_tokens` including `cached_input_tokens`,
 * `output_tokens` including `reasoning_output_tokens`, as the Responses API counts them),
 * `turn.failed` with `error.message`, and `error` (also each "Reconnecting... n/5" retry).
 * Checked against the real CLI (0.169.0, which dropped `--full-auto`) and a local Responses server.
 */
import type { AgentSpec } from "../config.js";
import {
  classifyFailureText,
  jsonLines,
  num,
  type CliResult,
} from "./cli-result.js";

/** The provider id a `baseUrl` is declared under in codex's config (`-c` overrides, nothing on disk). */
const CODEX_PROVIDER = "gitswarm";

/**
 * The argument list for one task. `confined`: the run is already in gitswarm's sandbox, where
 * codex's own (a nested bubblewrap) cannot map its user namespace and every command would fail.
 */
export function codexArgs(
  prompt: string,
  spec: AgentSpec,
  confined = false,
): string[] {
  // Writes confined to the workspace, no approval prompts: nobody is there to answer them.
  // Inside gitswarm's sandbox that sandbox is the confinement, so codex adds none of its own.
  return execArgs(
    prompt,
    spec,
    confined ? "danger-full-access" : "workspace-write",
  );
}

/**
 * The argument list for a review: codex's `read-only` sandbox, which lets it read the clone only.
 * `confined`: in gitswarm's sandbox, which mounts the clone read-only for a review, codex's own
 * nested bubblewrap would fail every command ('setting up uid map'), so it adds none.
 */
export function codexReviewArgs(
  prompt: string,
  spec: AgentSpec,
  confined = false,
): string[] {
  return execArgs(prompt, spec, confined ? "danger-full-access" : "read-only");
}

function execArgs(prompt: string, spec: AgentSpec, sandbox: string): string[] {
  return [
    "exec",
    "--json",
    "--sandbox",
    sandbox,
    "-c",
    'approval_policy="never"',
    "--skip-git-repo-check",
    ...(spec.baseUrl !== undefined ? providerArgs(spec.baseUrl, spec) : []),
    ...(spec.model !== undefined ? ["--model", spec.model] : []),
    prompt,
  ];
}

/**
 * A `baseUrl` as a custom model provider speaking the Responses API over HTTP (the built-in
 * provider tries a WebSocket first), its key read from the spec's `apiKeyEnv` or OPENAI_API_KEY.
 */
function providerArgs(baseUrl: string, spec: AgentSpec): string[] {
  const p = `model_providers.${CODEX_PROVIDER}`;
  const toml = (value: string) => JSON.stringify(value);
  return [
    ["model_provider", toml(CODEX_PROVIDER)],
    [`${p}.name`, toml(CODEX_PROVIDER)],
    [`${p}.base_url`, toml(baseUrl)],
    [`${p}.env_key`, toml(spec.apiKeyEnv ?? "OPENAI_API_KEY")],
    [`${p}.wire_api`, toml("responses")],
  ].flatMap(([key, value]) => ["-c", `${key}=${value}`]);
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
  let cacheReadTokens = 0;
  let cacheWriteTokens = 0;
  let threadId: string | undefined;
  let lastMessage = "";
  const errors: string[] = [];
  for (const event of events) {
    if (event.type === "turn.completed") {
      calls += 1;
      const usage = (event.usage ?? {}) as Record<string, unknown>;
      inputTokens += num(usage.input_tokens);
      cacheReadTokens += num(usage.cached_input_tokens);
      cacheWriteTokens += num(usage.cache_write_input_tokens);
      // Reasoning tokens are already part of output_tokens.
      outputTokens += num(usage.output_tokens);
    }
    if (event.type === "thread.started" && typeof event.thread_id === "string")
      threadId = event.thread_id;
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
  // stdout names no model and counts turns, not requests: codexSession() reads both from the
  // session file; until then the turns' tokens stand under the model the spec names, if any.
  const counts = {
    calls,
    inputTokens,
    outputTokens,
    ...(threadId !== undefined ? { sessionId: threadId } : {}),
    cacheReadTokens,
    cacheWriteTokens,
  };
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
