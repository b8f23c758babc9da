/** What a tool is: its spec for the model, and a function from arguments to a result value. */
import type { ToolSpec } from "../providers/model-client.js";

/** What every tool gets: the workspace, the scrubbed env for processes, limits and the abort signal. */
export interface ToolContext {
  workspace: string;
  /** Environment for tool processes, already without secrets. */
  env: Record<string, string>;
  signal: AbortSignal;
  commandTimeoutMs: number;
  maxOutputChars: number;
  oracleSample?: () => Promise<string>;
}

/** A tool's result. `control` ends the loop (finish, give up). Errors are results the model reads. */
export interface ToolOutcome {
  content: string;
  isError: boolean;
  truncated?: boolean;
  control?:
    { kind: "finish"; summary: string } | { kind: "give-up"; reason: string };
}

/** A tool: spec plus implementation. */
export interface Tool {
  spec: ToolSpec;
  run(
    args: Record<string, unknown>,
    context: ToolContext,
  ): Promise<ToolOutcome>;
}

/** Reads a string argument, or returns an error outcome naming it. */
export function stringArg(
  args: Record<string, unknown>,
  name: string,
  optional = false,
): string | ToolOutcome | undefined {
  const value = args[name];
  if (value === undefined && optional) return undefined;
  if (typeof value !== "string")
    return { content: `argument '${name}' must be a string`, isError: true };
  return value;
}

/** An error outcome. */
export function toolError(content: string): ToolOutcome {
  return { content, isError: true };
}

/** Builds a JSON-Schema object spec from property descriptions. */
export function spec(
  name: string,
  description: string,
  properties: Record<string, { type: string; description: string }>,
  required: string[],
): ToolSpec {
  return {
    name,
    description,
    parameters: { type: "object", properties, required },
  };
}
