/**
 * Gemini generateContent with function calling, through @google/genai. Tool calls are
 * `functionCall` parts of a `model` turn; results go back as `functionResponse` parts of a `user`
 * turn. `baseUrl` points the SDK at another endpoint (`httpOptions.baseUrl`).
 */
import type {
  Content,
  FunctionDeclaration,
  GenerateContentResponse,
} from "@google/genai";
import type { ChatMessage, Conversation } from "../conversation.js";
import { loadSdk } from "./load-sdk.js";
import { MalformedResponseError } from "./provider-error.js";
import type { ModelClient, ModelTurn, ToolSpec } from "./model-client.js";

/** How to reach generateContent. */
export interface GeminiClientOptions {
  model: string;
  apiKey: string;
  baseUrl?: string;
  maxOutputTokens?: number;
}

/** Converts neutral messages to `contents` (roles `user` and `model`). */
export function toGeminiContents(messages: ChatMessage[]): Content[] {
  return messages.map((message): Content => {
    if (message.role === "user")
      return { role: "user", parts: [{ text: message.text }] };
    if (message.role === "assistant") {
      if (isContent(message.raw)) return message.raw;
      const parts: NonNullable<Content["parts"]> = [];
      if (message.text !== "") parts.push({ text: message.text });
      for (const call of message.toolCalls)
        parts.push({
          functionCall: { id: call.id, name: call.name, args: call.args },
        });
      return {
        role: "model",
        parts: parts.length > 0 ? parts : [{ text: "(no output)" }],
      };
    }
    return {
      role: "user",
      parts: message.results.map((r) => ({
        functionResponse: {
          id: r.callId,
          name: r.name,
          response: r.isError ? { error: r.content } : { output: r.content },
        },
      })),
    };
  });
}

function isContent(value: unknown): value is Content {
  return (
    value !== null &&
    typeof value === "object" &&
    Array.isArray((value as Content).parts)
  );
}

/** Converts tool specs to function declarations (JSON Schema parameters). */
export function toGeminiTools(tools: ToolSpec[]): FunctionDeclaration[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    parametersJsonSchema: t.parameters,
  }));
}

/** Converts a generateContent response to a neutral turn; throws MalformedResponseError when it is not one. */
export function fromGeminiResponse(
  response: unknown,
  callNumber = 0,
): ModelTurn {
  const r = response as Partial<GenerateContentResponse> | null;
  const candidate = Array.isArray(r?.candidates) ? r.candidates[0] : undefined;
  if (
    candidate === undefined ||
    (candidate.content?.parts === undefined &&
      candidate.finishReason === undefined)
  ) {
    throw new MalformedResponseError(
      `gemini: response has no candidates[0].content: ${JSON.stringify(response).slice(0, 200)}`,
    );
  }
  let text = "";
  const toolCalls: ModelTurn["toolCalls"] = [];
  for (const [index, part] of (candidate.content?.parts ?? []).entries()) {
    if (typeof part.text === "string" && part.thought !== true)
      text += part.text;
    if (part.functionCall?.name !== undefined) {
      // Older Gemini models send no call ids; the loop needs one to pair the result.
      const id = part.functionCall.id ?? `call_${callNumber}_${index}`;
      toolCalls.push({
        id,
        name: part.functionCall.name,
        args: part.functionCall.args ?? {},
      });
    }
  }
  const usage = r?.usageMetadata;
  return {
    text,
    toolCalls,
    inputTokens: usage?.promptTokenCount ?? 0,
    outputTokens:
      (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
    cacheReadTokens: usage?.cachedContentTokenCount ?? 0,
    ...(typeof r?.modelVersion === "string" && r.modelVersion !== ""
      ? { model: r.modelVersion }
      : {}),
    stopReason: String(candidate.finishReason ?? "unknown"),
    // Echoed back verbatim next turn: Gemini 3 rejects function calls whose thought signatures are lost.
    ...(candidate.content?.parts !== undefined &&
    toolCalls.every((c) => c.id !== undefined)
      ? { raw: withIds(candidate.content, toolCalls) }
      : {}),
  };
}

/** A ModelClient over the official SDK; the SDK retries only when given retryOptions, which we never pass. */
export function createGeminiClient(options: GeminiClientOptions): ModelClient {
  // Loaded at the first request: see loadSdk.
  const sdk = loadSdk(
    async () =>
      new (await import("@google/genai")).GoogleGenAI({
        apiKey: options.apiKey,
        ...(options.baseUrl
          ? { httpOptions: { baseUrl: options.baseUrl } }
          : {}),
      }),
  );
  let calls = 0;
  return {
    provider: "gemini",
    model: options.model,
    custom: options.baseUrl !== undefined,
    async complete(
      conversation: Conversation,
      tools: ToolSpec[],
      signal: AbortSignal,
    ) {
      calls += 1;
      const response = await (
        await sdk()
      ).models.generateContent({
        model: options.model,
        contents: toGeminiContents(conversation.messages),
        config: {
          systemInstruction: conversation.system,
          tools: [{ functionDeclarations: toGeminiTools(tools) }],
          maxOutputTokens: options.maxOutputTokens ?? 8192,
          abortSignal: signal,
        },
      });
      return fromGeminiResponse(response, calls);
    },
  };
}

function withIds(content: Content, calls: ModelTurn["toolCalls"]): Content {
  let next = 0;
  const parts = (content.parts ?? []).map((part) => {
    if (part.functionCall === undefined) return part;
    const call = calls[next++];
    return {
      ...part,
      functionCall: {
        ...part.functionCall,
        id: call?.id ?? part.functionCall.id,
      },
    };
  });
  return { role: "model", parts };
}
