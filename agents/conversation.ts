/**
 * The provider-neutral conversation the tool loop keeps, and how it is bounded: older tool results
 * are replaced by a one-line note, oldest first, until the conversation fits the model's window.
 */

/** A tool call the model asked for; `args` is the parsed JSON object (or the raw text if unparsable). */
export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** Set when the arguments were not a JSON object; the tool loop reports it back to the model. */
  badArgs?: string;
}

/** The output of one tool call, sent back to the model. */
export interface ToolResultMessage {
  callId: string;
  name: string;
  content: string;
  isError: boolean;
}

/** One message of the neutral conversation. `raw` is the vendor's own content, echoed back as-is where it must be. */
export type ChatMessage =
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; toolCalls: ToolCall[]; raw?: unknown }
  | { role: "tool"; results: ToolResultMessage[] };

/** The whole conversation: a system prompt and the messages. */
export interface Conversation {
  system: string;
  messages: ChatMessage[];
}

/** The size of a conversation in characters (what bounding measures). */
export function conversationChars(conversation: Conversation): number {
  let total = conversation.system.length;
  for (const message of conversation.messages) total += messageChars(message);
  return total;
}

function messageChars(message: ChatMessage): number {
  if (message.role === "user") return message.text.length;
  if (message.role === "assistant") {
    return (
      message.text.length +
      message.toolCalls.reduce(
        (n, c) => n + c.name.length + JSON.stringify(c.args).length,
        0,
      )
    );
  }
  return message.results.reduce((n, r) => n + r.content.length, 0);
}

/**
 * Returns a copy that fits in `maxChars`: the first user message (the task) and the last
 * `keepRecent` messages stay whole; older tool results are replaced by a note, oldest first. Tool
 * calls and their results stay paired, as every vendor requires.
 */
export function boundConversation(
  conversation: Conversation,
  maxChars: number,
  keepRecent = 6,
): Conversation {
  const messages = conversation.messages.slice();
  let size = conversationChars(conversation);
  const protectedFrom = Math.max(1, messages.length - keepRecent);
  for (let i = 1; i < protectedFrom && size > maxChars; i++) {
    const message = messages[i];
    if (message?.role !== "tool") continue;
    const before = messageChars(message);
    const results = message.results.map((r) => ({
      ...r,
      content:
        r.content.length <= 80
          ? r.content
          : `[older ${r.name} result dropped to save context: ${r.content.length} chars]`,
    }));
    messages[i] = { role: "tool", results };
    size -= before - messageChars(messages[i] as ChatMessage);
  }
  return { system: conversation.system, messages };
}
