import { describe, expect, it } from "vitest";
import { parseAider, parseTokenCount } from "../../agents/cli/aider.js";
import { parseClaudeCode } from "../../agents/cli/claude-code.js";
import { parseCodex } from "../../agents/cli/codex.js";
import { parseGeminiCli } from "../../agents/cli/gemini-cli.js";
import {
  claudeToolEvents,
  codexToolEvents,
  type PendingTools,
} from "../../agents/cli/tool-events.js";
import {
  isAuthText,
  isRateLimitText,
  rateLimitResetTime,
} from "../../agents/cli/rate-limit-text.js";

const NOW = new Date("2026-11-21T10:00:00Z");
const lines = (...objects: unknown[]) =>
  objects.map((o) => JSON.stringify(o)).join("\n") + "\n";

describe("rate-limit wording", () => {
  it.each([
    'API Error: 429 {"type":"error","error":{"type":"rate_limit_error"}}',
    "You've hit your limit · resets 3pm",
    "Claude AI usage limit reached|1763722800",
    "Quota exceeded for quota metric generate_content_requests",
    "RESOURCE_EXHAUSTED",
    "exceeded retry limit, last status: 429 Too Many Requests",
    "The API provider has rate limited you. Try again later or check your quotas.",
  ])("recognises %s", (text) => {
    expect(isRateLimitText(text)).toBe(true);
  });

  it("does not see limits in ordinary output", () => {
    expect(
      isRateLimitText("All 4290 tests passed; limit the scope next time"),
    ).toBe(false);
    expect(isAuthText("Invalid API key · Please run /login")).toBe(true);
    expect(isAuthText("wrote src/auth.ts")).toBe(false);
  });

  it("reads reset times: epoch, relative, clock", () => {
    expect(
      rateLimitResetTime("Claude AI usage limit reached|1763722800", NOW),
    ).toBe("2025-11-21T11:00:00.000Z");
    expect(rateLimitResetTime("try again in 2 hours", NOW)).toBe(
      "2026-11-21T12:00:00.000Z",
    );
    expect(rateLimitResetTime("Please retry in 37.5s.", NOW)).toBe(
      "2026-11-21T10:00:37.500Z",
    );
    const clock = new Date(rateLimitResetTime("resets 3pm", NOW)!);
    expect(clock.getHours()).toBe(15);
    expect(clock.getTime()).toBeGreaterThan(NOW.getTime());
    expect(rateLimitResetTime("rate limited", NOW)).toBeUndefined();
  });
});

describe("claude -p stream-json", () => {
  it("takes the last result event: text, turns, tokens with cache, total_cost_usd", () => {
    const out = lines(
      { type: "system", subtype: "init", model: "claude-opus-4-5" },
      { type: "assistant", message: { content: [] } },
      {
        type: "result",
        subtype: "success",
        is_error: false,
        num_turns: 3,
        result: "Done.",
        total_cost_usd: 0.5,
        usage: {
          input_tokens: 10,
          cache_read_input_tokens: 90,
          output_tokens: 5,
        },
      },
    );
    expect(parseClaudeCode(out, "", 0, NOW)).toEqual({
      verdict: { kind: "finished", summary: "Done." },
      calls: 3,
      inputTokens: 100,
      cacheReadTokens: 90,
      cacheWriteTokens: 0,
      outputTokens: 5,
      costUsd: 0.5,
      model: "claude-opus-4-5",
    });
  });

  it("maps error_max_turns to timed-out and garbage to a crash with the output", () => {
    expect(
      parseClaudeCode(
        lines({
          type: "result",
          subtype: "error_max_turns",
          is_error: true,
          num_turns: 40,
        }),
        "",
        1,
        NOW,
      ).verdict,
    ).toMatchObject({ kind: "failed", error: { kind: "timed-out" } });
    expect(
      parseClaudeCode("<<garbage>>\n", "segfault", 139, NOW).verdict,
    ).toEqual({
      kind: "failed",
      error: {
        kind: "crashed",
        detail: "exit code 139: segfault\n<<garbage>>",
      },
    });
  });
});

describe("codex exec --json", () => {
  it("sums turn usage and takes the last agent message", () => {
    const out = lines(
      { type: "thread.started", thread_id: "t" },
      {
        type: "item.completed",
        item: { id: "a", type: "agent_message", text: "first" },
      },
      {
        type: "turn.completed",
        usage: {
          input_tokens: 100,
          cached_input_tokens: 50,
          output_tokens: 10,
        },
      },
      {
        type: "item.completed",
        item: { id: "b", type: "agent_message", text: "second" },
      },
      {
        type: "turn.completed",
        usage: {
          input_tokens: 200,
          cached_input_tokens: 0,
          output_tokens: 20,
          reasoning_output_tokens: 5,
        },
      },
    );
    expect(parseCodex(out, "", 0, NOW)).toEqual({
      verdict: { kind: "finished", summary: "second" },
      calls: 2,
      inputTokens: 300,
      // Reasoning tokens are part of output_tokens already (codex 0.169, the Responses API).
      outputTokens: 30,
      cacheReadTokens: 50,
      cacheWriteTokens: 0,
      sessionId: "t",
    });
  });

  it("a failed turn is a failure even with exit 0", () => {
    const out = lines({
      type: "turn.failed",
      error: { message: "stream disconnected before completion" },
    });
    expect(parseCodex(out, "", 0, NOW).verdict).toMatchObject({
      kind: "failed",
      error: { kind: "crashed" },
    });
  });
});

describe("failures as the real CLIs print them (claude 2.1.328, codex 0.169.0, gemini 0.61.0)", () => {
  it("claude: a 429 or 401 on the result event is a rate limit or auth; root refusal names its fix", () => {
    const result = (status: number, type: string, text: string) =>
      lines({
        type: "result",
        subtype: "success",
        is_error: true,
        num_turns: 1,
        result: text,
        api_error_status: status,
        api_error_type: type,
        total_cost_usd: 0,
        usage: { input_tokens: 0, output_tokens: 0 },
      });
    expect(
      parseClaudeCode(
        result(
          429,
          "rate_limit_error",
          "API Error: Request rejected (429) · This request would exceed your rate limit.",
        ),
        "",
        1,
        NOW,
      ).verdict,
    ).toMatchObject({ kind: "failed", error: { kind: "rate-limited" } });
    expect(
      parseClaudeCode(
        result(
          401,
          "authentication_error",
          "Invalid API key · Fix external API key",
        ),
        "",
        1,
        NOW,
      ).verdict,
    ).toMatchObject({ kind: "failed", error: { kind: "auth" } });
    const root = parseClaudeCode(
      "",
      "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n",
      1,
      NOW,
    );
    expect(root.verdict).toMatchObject({
      kind: "failed",
      error: { kind: "crashed", detail: expect.stringMatching(/IS_SANDBOX=1/) },
    });
  });

  it("codex: a missing key variable is auth; retries that end in 429 are a rate limit", () => {
    const missing = lines(
      { type: "turn.started" },
      {
        type: "error",
        message: "Missing environment variable: `OPENAI_API_KEY`.",
      },
      {
        type: "turn.failed",
        error: { message: "Missing environment variable: `OPENAI_API_KEY`." },
      },
    );
    expect(parseCodex(missing, "", 1, NOW).verdict).toMatchObject({
      kind: "failed",
      error: { kind: "auth" },
    });
    const limited = lines(
      {
        type: "error",
        message:
          "Reconnecting... 5/5 (exceeded retry limit, last status: 429 Too Many Requests)",
      },
      {
        type: "turn.failed",
        error: {
          message: "exceeded retry limit, last status: 429 Too Many Requests",
        },
      },
    );
    expect(parseCodex(limited, "", 1, NOW).verdict).toMatchObject({
      kind: "failed",
      error: { kind: "rate-limited" },
    });
  });

  it("gemini: exit 41 is auth (with the settings fix for a base URL); a spent daily quota is a rate limit", () => {
    const error = (message: string, code: number) =>
      JSON.stringify(
        { session_id: "s", error: { type: "Error", message, code } },
        null,
        2,
      );
    expect(
      parseGeminiCli(
        error(
          "When using Gemini API, you must specify the GEMINI_API_KEY environment variable.",
          41,
        ),
        "",
        41,
        NOW,
      ).verdict,
    ).toMatchObject({ kind: "failed", error: { kind: "auth" } });
    expect(
      parseGeminiCli(error("Invalid auth method selected.", 41), "", 41, NOW)
        .verdict,
    ).toMatchObject({
      kind: "failed",
      error: { kind: "auth", detail: expect.stringMatching(/selectedType/) },
    });
    expect(
      parseGeminiCli(
        error("You have exhausted your daily quota on this model.", 429),
        "",
        173,
        NOW,
      ).verdict,
    ).toMatchObject({ kind: "failed", error: { kind: "rate-limited" } });
  });
});

describe("gemini -p --output-format json", () => {
  it("skips warning lines before the JSON and sums every model", () => {
    const out =
      "Loaded cached credentials.\n" +
      JSON.stringify(
        {
          response: "ok",
          stats: {
            models: {
              a: {
                api: { totalRequests: 1 },
                tokens: { prompt: 10, candidates: 2, thoughts: 1 },
              },
              b: {
                api: { totalRequests: 2 },
                tokens: { prompt: 5, candidates: 1 },
              },
            },
          },
        },
        null,
        2,
      );
    expect(parseGeminiCli(out, "", 0, NOW)).toEqual({
      verdict: { kind: "finished", summary: "ok" },
      calls: 3,
      inputTokens: 15,
      outputTokens: 4,
      model: "a",
      models: [
        {
          model: "a",
          requests: 1,
          inputTokens: 10,
          cacheReadTokens: 0,
          outputTokens: 3,
        },
        {
          model: "b",
          requests: 2,
          inputTokens: 5,
          cacheReadTokens: 0,
          outputTokens: 1,
        },
      ],
    });
  });

  it("exit 53 is the turn limit; an error object with 429 is a rate limit", () => {
    expect(parseGeminiCli("{}", "", 53, NOW).verdict).toMatchObject({
      kind: "failed",
      error: { kind: "timed-out" },
    });
    expect(
      parseGeminiCli(
        JSON.stringify({
          error: { type: "Error", message: "Quota exceeded", code: 429 },
        }),
        "",
        1,
        NOW,
      ).verdict,
    ).toMatchObject({ kind: "failed", error: { kind: "rate-limited" } });
  });
});

describe("aider", () => {
  it("reads k/M token counts and session cost", () => {
    expect([
      parseTokenCount("2.3k"),
      parseTokenCount("145"),
      parseTokenCount("1.2M"),
    ]).toEqual([2300, 145, 1_200_000]);
    const out =
      "Tokens: 1k sent, 10 received. Cost: $0.01 message, $0.01 session.\nDone editing.\n";
    expect(parseAider(out, "", 0, NOW)).toEqual({
      verdict: { kind: "finished", summary: "Done editing." },
      calls: 1,
      inputTokens: 1000,
      outputTokens: 10,
      costUsd: 0.01,
    });
    expect(
      parseAider("litellm.AuthenticationError: invalid x-api-key\n", "", 0, NOW)
        .verdict,
    ).toMatchObject({ kind: "failed", error: { kind: "auth" } });
  });
});

describe("live tool events from CLI streams", () => {
  it("pairs claude tool_use and tool_result blocks by id, with their time", () => {
    const pending: PendingTools = new Map();
    const use = JSON.stringify({
      type: "assistant",
      message: {
        content: [{ type: "tool_use", id: "t1", name: "Bash", input: {} }],
      },
    });
    const result = JSON.stringify({
      type: "user",
      message: {
        content: [{ type: "tool_result", tool_use_id: "t1", is_error: true }],
      },
    });
    expect(claudeToolEvents(use, pending, 100)).toEqual([]);
    expect(claudeToolEvents(result, pending, 350)).toEqual([
      { tool: "Bash", ok: false, ms: 250 },
    ]);
    expect(pending.size).toBe(0);
    expect(claudeToolEvents("not json", pending, 0)).toEqual([]);
  });

  it("reads codex command items and their exit codes", () => {
    const pending: PendingTools = new Map();
    const item = { id: "i1", type: "command_execution", command: "npm test" };
    codexToolEvents(
      JSON.stringify({
        type: "item.started",
        item: { ...item, status: "in_progress" },
      }),
      pending,
      0,
    );
    const done = JSON.stringify({
      type: "item.completed",
      item: { ...item, exit_code: 1, status: "failed" },
    });
    expect(codexToolEvents(done, pending, 40)).toEqual([
      { tool: "command_execution", ok: false, ms: 40 },
    ]);
    const message = JSON.stringify({
      type: "item.completed",
      item: { id: "m", type: "agent_message", text: "hi" },
    });
    expect(codexToolEvents(message, pending, 50)).toEqual([]);
  });
});
