/**
 * Anthropic Messages API with tool use, through @anthropic-ai/sdk. Tool calls are `tool_use`
 * content blocks; their results go back as `tool_result` blocks in one user message.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { Conversation, ChatMessage } from "../conversation.js";
import { loadSdk } from "./load-sdk.js";
import { MalformedResponseError } from "./provider-error.js";
import type { ModelClient, ModelTurn, ToolSpec } from "./model-client.js";

/** How to reach the Messages API. */
export interface AnthropicClientOptions {
  model: string;
  apiKey: string;
  baseUrl?: string;
  maxOutputTokens?: number;
}

/** Converts neutral messages to Messages API `messages`. */
export function toAnthropicMessages(
  messages: ChatMessage[],
): Anthropic.MessageParam[] {
  return messages.map((message): Anthropic.MessageParam => {
    if (message.role === "user") return { role: "user", content: message.text };
    if (message.role === "assistant") {
      const blocks: Anthropic.ContentBlockParam[] = [];
      if (message.text !== "")
        blocks.push({ type: "text", text: message.text });
      for (const call of message.toolCalls)
        blocks.push({
          type: "tool_use",
          id: call.id,
          name: call.name,
          input: call.args,
        });
      return {
        role: "assistant",
        content: blocks.length > 0 ? blocks : "(no output)",
      };
    }
    return {
      role: "user",
      content: message.results.map((r) => ({
        type: "tool_result" as const,
        tool_use_id: r.callId,
        content: r.content,
        is_error: r.isError,
      })),
    };
  });
}

/** Converts tool specs to the Messages API `tools` parameter. */
export function toAnthropicTools(tools: ToolSpec[]): Anthropic.Tool[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.parameters,
  }));
}

/** Converts a Messages API response to a neutral turn; throws MalformedResponseError when it is not one. */
export function fromAnthropicMessage(response: unknown): ModelTurn {
  const message = response as Partial<Anthropic.Message> | null;
  if (
    message === null ||
    typeof message !== "object" ||
    !Array.isArray(message.content) ||
    typeof message.usage !== "object"
  ) {
    throw new MalformedResponseError(
      `anthropic: response has no content array or usage: ${JSON.stringify(response).slice(0, 200)}`,
    );
  }
  let text = "";
  const toolCalls: ModelTurn["toolCalls"] = [];
  for (const block of message.content) {
    if (block.type === "text") text += block.text;
    if (block.type === "tool_use") {
      const ok =
        block.input !== null &&
        typeof block.input === "object" &&
        !Array.isArray(block.input);
      toolCalls.push({
        id: block.id,
        name: block.name,
        args: ok ? (block.input as Record<string, unknown>) : {},
        ...(ok ? {} : { badArgs: JSON.stringify(block.input) }),
      });
    }
  }
  const usage = message.usage as Partial<Anthropic.Usage>;
  const inputTokens =
    (usage.input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0);
  return {
    text,
    toolCalls,
    inputTokens,
    outputTokens: usage.output_tokens ?? 0,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    ...(typeof message.model === "string" ? { model: message.model } : {}),
    stopReason: String(message.stop_reason ?? "unknown"),
  };
}

/** A ModelClient over the official SDK, with the SDK's own retries off. */
export function createAnthropicClient(
  options: AnthropicClientOptions,
): ModelClient {
  // Loaded at the first request: see loadSdk.
  const sdk = loadSdk(
    async () =>
      new (await import("@anthropic-ai/sdk")).default({
        apiKey: options.apiKey,
        ...(options.baseUrl !== undefined ? { baseURL: options.baseUrl } : {}),
        maxRetries: 0,
        timeout: 10 * 60_000,
      }),
  );
  return {
    provider: "anthropic",
    model: options.model,
    custom: options.baseUrl !== undefined,
    async complete(
      conversation: Conversation,
      tools: ToolSpec[],
      signal: AbortSignal,
    ) {
      const response = await (
        await sdk()
      ).messages.create(
        {
          model: options.model,
          max_tokens: options.maxOutputTokens ?? 8192,
          system: conversation.system,
          messages: toAnthropicMessages(conversation.messages),
          tools: toAnthropicTools(tools),
        },
        { signal },
      );
      return fromAnthropicMessage(response);
    },
  };
}
