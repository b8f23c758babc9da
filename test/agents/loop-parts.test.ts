import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  boundConversation,
  conversationChars,
  type Conversation,
} from "../../agents/conversation.js";
import {
  fromAnthropicMessage,
  toAnthropicMessages,
} from "../../agents/providers/anthropic.js";
import {
  fromGeminiResponse,
  toGeminiContents,
} from "../../agents/providers/gemini.js";
import { parseToolArgs } from "../../agents/providers/model-client.js";
import {
  fromOpenAICompletion,
  toOpenAIMessages,
} from "../../agents/providers/openai.js";
import { MalformedResponseError } from "../../agents/providers/provider-error.js";
import {
  isSecretName,
  redact,
  scrubEnv,
  secretValues,
} from "../../agents/secrets.js";
import { checkToolPath } from "../../agents/tools/confine.js";
import { truncateOutput } from "../../agents/tools/truncate.js";

const conversation: Conversation = {
  system: "sys",
  messages: [
    { role: "user", text: "task" },
    {
      role: "assistant",
      text: "looking",
      toolCalls: [{ id: "c1", name: "read_file", args: { path: "a" } }],
    },
    {
      role: "tool",
      results: [
        {
          callId: "c1",
          name: "read_file",
          content: "x".repeat(1000),
          isError: false,
        },
      ],
    },
    {
      role: "assistant",
      text: "",
      toolCalls: [{ id: "c2", name: "finish", args: {} }],
    },
  ],
};

describe("neutral conversation to each vendor", () => {
  it("anthropic: tool_use blocks and tool_result blocks in a user message", () => {
    const messages = toAnthropicMessages(conversation.messages);
    expect(messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "text", text: "looking" },
        { type: "tool_use", id: "c1", name: "read_file", input: { path: "a" } },
      ],
    });
    expect(messages[2]).toMatchObject({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "c1", is_error: false }],
    });
  });

  it("openai: system first, tool_calls with JSON string arguments, role tool with tool_call_id", () => {
    const messages = toOpenAIMessages(conversation);
    expect(messages[0]).toEqual({ role: "system", content: "sys" });
    expect(messages[2]).toMatchObject({
      role: "assistant",
      tool_calls: [
        {
          id: "c1",
          type: "function",
          function: { name: "read_file", arguments: '{"path":"a"}' },
        },
      ],
    });
    expect(messages[3]).toMatchObject({ role: "tool", tool_call_id: "c1" });
    expect(messages[4]).toMatchObject({ role: "assistant", content: null });
  });

  it("gemini: model turns with functionCall, user turns with functionResponse", () => {
    const contents = toGeminiContents(conversation.messages);
    expect(contents[1]).toEqual({
      role: "model",
      parts: [
        { text: "looking" },
        { functionCall: { id: "c1", name: "read_file", args: { path: "a" } } },
      ],
    });
    expect(contents[2]!.parts![0]).toMatchObject({
      functionResponse: {
        id: "c1",
        name: "read_file",
        response: { output: "x".repeat(1000) },
      },
    });
  });

  it("reads responses and refuses malformed ones", () => {
    expect(
      fromAnthropicMessage({
        content: [
          {
            type: "tool_use",
            id: "t",
            name: "finish",
            input: { summary: "s" },
          },
        ],
        usage: { input_tokens: 3, output_tokens: 4 },
        stop_reason: "tool_use",
      }),
    ).toMatchObject({
      toolCalls: [{ id: "t", name: "finish", args: { summary: "s" } }],
      inputTokens: 3,
      outputTokens: 4,
    });
    expect(
      fromOpenAICompletion({
        choices: [
          {
            message: {
              content: null,
              tool_calls: [
                {
                  id: "i",
                  type: "function",
                  function: { name: "x", arguments: "not json" },
                },
              ],
            },
          },
        ],
      }).toolCalls[0],
    ).toMatchObject({ badArgs: "not json" });
    expect(
      fromGeminiResponse(
        {
          candidates: [
            { content: { parts: [{ functionCall: { name: "f", args: {} } }] } },
          ],
        },
        7,
      ).toolCalls[0]!.id,
    ).toBe("call_7_0");
    expect(() => fromAnthropicMessage({ id: "x" })).toThrow(
      MalformedResponseError,
    );
    expect(() => fromOpenAICompletion({ choices: [] })).toThrow(
      MalformedResponseError,
    );
    expect(() => fromGeminiResponse({})).toThrow(MalformedResponseError);
    expect(parseToolArgs("[1]")).toEqual({ args: {}, badArgs: "[1]" });
  });
});

describe("context bounding", () => {
  it("drops older tool results first and keeps the task and recent messages whole", () => {
    const big: Conversation = {
      system: "s",
      messages: [{ role: "user", text: "task" }],
    };
    for (let i = 0; i < 10; i++) {
      big.messages.push({
        role: "assistant",
        text: "",
        toolCalls: [{ id: `c${i}`, name: "read_file", args: {} }],
      });
      big.messages.push({
        role: "tool",
        results: [
          {
            callId: `c${i}`,
            name: "read_file",
            content: "y".repeat(10_000),
            isError: false,
          },
        ],
      });
    }
    const bounded = boundConversation(big, 40_000, 4);
    expect(conversationChars(bounded)).toBeLessThanOrEqual(40_000);
    expect(bounded.messages).toHaveLength(big.messages.length);
    expect(bounded.messages[2]).toMatchObject({
      role: "tool",
      results: [
        {
          callId: "c0",
          content: expect.stringMatching(
            /older read_file result dropped.*10000 chars/,
          ),
        },
      ],
    });
    expect(bounded.messages.at(-1)).toEqual(big.messages.at(-1));
    expect(big.messages[2]).toMatchObject({
      results: [{ content: "y".repeat(10_000) }],
    });
    expect(boundConversation(conversation, 1_000_000)).toEqual(conversation);
  });
});

describe("path confinement (pure part)", () => {
  const ws = "/work/ws";
  it.each([
    ["../../etc/passwd", /escapes the workspace/],
    ["a/../../b", /escapes the workspace/],
    ["/etc/passwd", /absolute paths are refused/],
    [".git/config", /\.git folder is off limits/],
    ["", /a path is required/],
  ])("refuses %s", (p, reason) => {
    expect(checkToolPath(ws, p)).toEqual({
      ok: false,
      reason: expect.stringMatching(reason),
    });
  });

  it("accepts paths inside, normalised", () => {
    expect(checkToolPath(ws, "src/../src/a.ts")).toEqual({
      ok: true,
      absolute: path.join(ws, "src/a.ts"),
      relative: "src/a.ts",
    });
    expect(checkToolPath(ws, ".")).toMatchObject({ ok: true, relative: "." });
  });
});

describe("secrets and truncation", () => {
  it("scrubs secret-looking variables but keeps ordinary ones", () => {
    const env = {
      ANTHROPIC_API_KEY: "sk-ant-1234567890",
      GH_TOKEN: "ghp_abcdefghij",
      MY_SECRET_THING: "x",
      GIT_AUTHOR_NAME: "A",
      TOKENIZERS_PARALLELISM: "false",
      PATH: "/bin",
      DB_PASSWORD: "p",
    };
    expect(Object.keys(scrubEnv(env)).sort()).toEqual([
      "GIT_AUTHOR_NAME",
      "PATH",
      "TOKENIZERS_PARALLELISM",
    ]);
    expect(Object.keys(scrubEnv(env, ["GH_TOKEN"], ["PATH"])).sort()).toEqual([
      "GH_TOKEN",
      "GIT_AUTHOR_NAME",
      "TOKENIZERS_PARALLELISM",
    ]);
    expect(isSecretName("OPENAI_API_KEY")).toBe(true);
    expect(redact("key=sk-ant-1234567890 ok", secretValues(env))).toBe(
      "key=[redacted:ANTHROPIC_API_KEY] ok",
    );
  });

  it("truncates with head, tail and a note", () => {
    const out = truncateOutput("a".repeat(100) + "b".repeat(100), 30);
    expect(out.truncated).toBe(true);
    expect(out.text.startsWith("a".repeat(20))).toBe(true);
    expect(out.text.endsWith("b".repeat(10))).toBe(true);
    expect(out.text).toContain("170 characters truncated of 200");
    expect(truncateOutput("short", 30)).toEqual({
      text: "short",
      truncated: false,
    });
  });
});
