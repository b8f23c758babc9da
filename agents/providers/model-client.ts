/**
 * What the tool loop needs from a provider: one request with the neutral conversation and the tool
 * specs, one neutral turn back. Each vendor file converts to and from its SDK's wire types.
 */
import type { Conversation, ToolCall } from "../conversation.js";

/** A tool as offered to the model: a name, a description and a JSON Schema for its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: {
    type: "object";
    properties: Record<string, unknown>;
    required: string[];
  };
}

/** One model response in neutral form, with the tokens it cost. */
export interface ModelTurn {
  text: string;
  toolCalls: ToolCall[];
  /** Every input token, cached or not. */
  inputTokens: number;
  outputTokens: number;
  /** Of inputTokens, those read from / written to the vendor's prompt cache (cache rates). */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** The model that answered, as the response names it (it may differ from the one asked for). */
  model?: string;
  /** The vendor's own message content, echoed back verbatim (Gemini's thought signatures require it). */
  raw?: unknown;
  /** The vendor's stop reason, for logs. */
  stopReason: string;
}

/** One provider instance bound to a model and credentials. */
export interface ModelClient {
  readonly provider: "anthropic" | "openai" | "gemini";
  readonly model: string;
  /** Whether it talks to a custom endpoint (a local server prices nothing it does not list). */
  readonly custom?: boolean;
  /** Sends one request (no retries: the caller counts and retries attempts); throws SDK errors. */
  complete(
    conversation: Conversation,
    tools: ToolSpec[],
    signal: AbortSignal,
  ): Promise<ModelTurn>;
}

/** Parses tool-call arguments sent as a JSON string (OpenAI); a bad string is kept for the model to see. */
export function parseToolArgs(raw: string): {
  args: Record<string, unknown>;
  badArgs?: string;
} {
  try {
    const value: unknown = JSON.parse(raw === "" ? "{}" : raw);
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      return { args: value as Record<string, unknown> };
  } catch {
    // Fall through: the model sent something that is not a JSON object.
  }
  return { args: {}, badArgs: raw };
}
