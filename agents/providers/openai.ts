/**
 * OpenAI chat completions with tool calls, through the `openai` SDK. With `baseUrl` it speaks to any
 * OpenAI-compatible server (Ollama, vLLM, LM Studio); tool results are `role: "tool"` messages.
 */
import type OpenAI from "openai";
import type { Conversation, ChatMessage } from "../conversation.js";
import { loadSdk } from "./load-sdk.js";
import { MalformedResponseError } from "./provider-error.js";
import {
  parseToolArgs,
  type ModelClient,
  type ModelTurn,
  type ToolSpec,
} from "./model-client.js";

/** How to reach a chat completions endpoint. */
export interface OpenAIClientOptions {
  model: string;
  apiKey: string;
  /** E.g. `http://127.0.0.1:11434/v1` for Ollama. */
  baseUrl?: string;
}

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** Converts a neutral conversation to chat completions `messages` (system first). */
export function toOpenAIMessages(conversation: Conversation): Message[] {
  const out: Message[] = [{ role: "system", content: conversation.system }];
  for (const message of conversation.messages) out.push(...convert(message));
  return out;
}

function convert(message: ChatMessage): Message[] {
  if (message.role === "user") return [{ role: "user", content: message.text }];
  if (message.role === "assistant") {
    const toolCalls = message.toolCalls.map((c) => ({
      id: c.id,
      type: "function" as const,
      function: {
        name: c.name,
        arguments: c.badArgs ?? JSON.stringify(c.args),
      },
    }));
    // Servers reject an assistant message with neither content nor tool calls.
    const content =
      message.text !== ""
        ? message.text
        : toolCalls.length > 0
          ? null
          : "(no output)";
    return [
      {
        role: "assistant",
        content,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      },
    ];
  }
  return message.results.map((r) => ({
    role: "tool" as const,
    tool_call_id: r.callId,
    content: r.isError ? `ERROR: ${r.content}` : r.content,
  }));
}

/** Converts tool specs to the `tools` parameter (function tools). */
export function toOpenAITools(
  tools: ToolSpec[],
): OpenAI.Chat.Completions.ChatCompletionTool[] {
  return tools.map((t) => ({
    type: "function",
    function: {
      name: t.name,
      description: t.description,
      parameters: t.parameters,
    },
  }));
}

/** Converts a chat completion to a neutral turn; throws MalformedResponseError when it is not one. */
export function fromOpenAICompletion(response: unknown): ModelTurn {
  const completion =
    response as Partial<OpenAI.Chat.Completions.ChatCompletion> | null;
  const choice = Array.isArray(completion?.choices)
    ? completion.choices[0]
    : undefined;
  if (
    choice === undefined ||
    typeof choice.message !== "object" ||
    choice.message === null
  ) {
    throw new MalformedResponseError(
      `openai: response has no choices[0].message: ${JSON.stringify(response).slice(0, 200)}`,
    );
  }
  const toolCalls: ModelTurn["toolCalls"] = [];
  for (const call of choice.message.tool_calls ?? []) {
    if (call.type !== "function") continue;
    toolCalls.push({
      id: call.id,
      name: call.function.name,
      ...parseToolArgs(call.function.arguments),
    });
  }
  return {
    text: choice.message.content ?? "",
    toolCalls,
    inputTokens: completion?.usage?.prompt_tokens ?? 0,
    outputTokens: completion?.usage?.completion_tokens ?? 0,
    cacheReadTokens:
      completion?.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    ...(typeof completion?.model === "string" && completion.model !== ""
      ? { model: completion.model }
      : {}),
    stopReason: String(choice.finish_reason ?? "unknown"),
  };
}

/** A ModelClient over the official SDK, with the SDK's own retries off. */
export function createOpenAIClient(options: OpenAIClientOptions): ModelClient {
  // Loaded at the first request: see loadSdk.
  const sdk = loadSdk(
    async () =>
      new (await import("openai")).default({
        apiKey: options.apiKey,
        baseURL: options.baseUrl,
        maxRetries: 0,
        timeout: 10 * 60_000,
      }),
  );
  return {
    provider: "openai",
    model: options.model,
    custom: options.baseUrl !== undefined,
    async complete(
      conversation: Conversation,
      tools: ToolSpec[],
      signal: AbortSignal,
    ) {
      const response = await (
        await sdk()
      ).chat.completions.create(
        {
          model: options.model,
          messages: toOpenAIMessages(conversation),
          tools: toOpenAITools(tools),
        },
        { signal },
      );
      return fromOpenAICompletion(response);
    },
  };
}
