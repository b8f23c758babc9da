/** The tool set of the shared loop and its dispatcher: one place maps a tool call to its tool. */
import type { ToolCall } from "../conversation.js";
import type { ToolSpec } from "../providers/model-client.js";
import { runCommandTool } from "./command.js";
import { finishTool, giveUpTool, oracleSampleTool } from "./control.js";
import { editFileTool, readFileTool, writeFileTool } from "./files.js";
import { listFilesTool } from "./list.js";
import { searchTextTool } from "./search.js";
import type { Tool, ToolContext, ToolOutcome } from "./tool.js";

const BASE_TOOLS: Tool[] = [
  readFileTool,
  writeFileTool,
  editFileTool,
  listFilesTool,
  searchTextTool,
  runCommandTool,
  finishTool,
  giveUpTool,
];

/** The tools offered for one attempt (`run_oracle_sample` only when the runner provides it). */
export function selectTools(withOracle: boolean): Tool[] {
  return withOracle
    ? [...BASE_TOOLS.slice(0, 6), oracleSampleTool, ...BASE_TOOLS.slice(6)]
    : BASE_TOOLS;
}

/** The specs to send to the model. */
export function toolSpecs(tools: Tool[]): ToolSpec[] {
  return tools.map((t) => t.spec);
}

/** Runs one tool call; unknown tools, bad arguments and thrown errors become error results. */
export async function dispatchTool(
  tools: Tool[],
  call: ToolCall,
  context: ToolContext,
): Promise<ToolOutcome> {
  const tool = tools.find((t) => t.spec.name === call.name);
  if (tool === undefined)
    return {
      content: `unknown tool '${call.name}'; available: ${tools.map((t) => t.spec.name).join(", ")}`,
      isError: true,
    };
  if (call.badArgs !== undefined)
    return {
      content: `arguments must be a JSON object, got: ${call.badArgs.slice(0, 200)}`,
      isError: true,
    };
  try {
    return await tool.run(call.args, context);
  } catch (error) {
    return {
      content: `${call.name} failed: ${(error as Error).message}`,
      isError: true,
    };
  }
}
