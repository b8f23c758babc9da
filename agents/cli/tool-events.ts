/**
 * Live tool calls from vendor CLI event streams, for the runner's JSONL log: Claude Code's
 * `tool_use` / `tool_result` content blocks and Codex's completed `command_execution`,
 * `file_change` and `mcp_tool_call` items. Pure: a line and the pending calls in, events out.
 */

/** A tool call seen in a CLI's stream. */
export interface CliToolEvent {
  tool: string;
  ok: boolean;
  ms: number;
}

/** Tool calls started but not finished, by id. */
export type PendingTools = Map<string, { name: string; started: number }>;

function parse(line: string): Record<string, unknown> | undefined {
  if (!line.trimStart().startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function blocks(event: Record<string, unknown>): Record<string, unknown>[] {
  const content = (event.message as { content?: unknown } | undefined)?.content;
  return Array.isArray(content) ? (content as Record<string, unknown>[]) : [];
}

/** Claude Code stream-json: tool_use blocks start a call, tool_result blocks (is_error) end it. */
export function claudeToolEvents(
  line: string,
  pending: PendingTools,
  now: number,
): CliToolEvent[] {
  const event = parse(line);
  if (event === undefined) return [];
  const out: CliToolEvent[] = [];
  for (const block of blocks(event)) {
    if (
      event.type === "assistant" &&
      block.type === "tool_use" &&
      typeof block.id === "string"
    ) {
      pending.set(block.id, {
        name: String(block.name ?? "tool"),
        started: now,
      });
    }
    if (
      event.type === "user" &&
      block.type === "tool_result" &&
      typeof block.tool_use_id === "string"
    ) {
      const call = pending.get(block.tool_use_id);
      pending.delete(block.tool_use_id);
      out.push({
        tool: call?.name ?? "tool",
        ok: block.is_error !== true,
        ms: call ? Math.round(now - call.started) : 0,
      });
    }
  }
  return out;
}

const CODEX_TOOL_ITEMS = new Set([
  "command_execution",
  "file_change",
  "mcp_tool_call",
  "web_search",
]);

/** Codex exec --json: item.started opens a tool item, item.completed closes it with its status. */
export function codexToolEvents(
  line: string,
  pending: PendingTools,
  now: number,
): CliToolEvent[] {
  const event = parse(line);
  const item = event?.item as
    | { id?: unknown; type?: unknown; status?: unknown; exit_code?: unknown }
    | undefined;
  if (
    item === undefined ||
    typeof item.id !== "string" ||
    !CODEX_TOOL_ITEMS.has(String(item.type))
  )
    return [];
  if (event?.type === "item.started") {
    pending.set(item.id, { name: String(item.type), started: now });
    return [];
  }
  if (event?.type !== "item.completed") return [];
  const call = pending.get(item.id);
  pending.delete(item.id);
  const ok =
    item.status !== "failed" &&
    (item.exit_code === undefined ||
      item.exit_code === null ||
      item.exit_code === 0);
  return [
    {
      tool: String(item.type),
      ok,
      ms: call ? Math.round(now - call.started) : 0,
    },
  ];
}
