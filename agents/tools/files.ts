/** File tools for the model: read, write, edit by exact search/replace. All confined to the workspace. */
import fs from "node:fs/promises";
import path from "node:path";
import { resolveToolPath } from "./confine.js";
import { truncateOutput } from "./truncate.js";
import {
  spec,
  stringArg,
  toolError,
  type Tool,
  type ToolOutcome,
} from "./tool.js";

/** Resolves a tool's `path` argument inside the workspace, or an error outcome saying why not. */
export async function confined(
  workspace: string,
  requested: unknown,
): Promise<string | ToolOutcome> {
  if (typeof requested !== "string")
    return toolError("argument 'path' must be a string");
  const result = await resolveToolPath(workspace, requested);
  return result.ok ? result.absolute : toolError(result.reason);
}

/** `read_file`: a file's text, optionally from a 1-based line for a number of lines. */
export const readFileTool: Tool = {
  spec: spec(
    "read_file",
    "Read a text file of the workspace.",
    {
      path: {
        type: "string",
        description: "path relative to the workspace root",
      },
      start_line: {
        type: "number",
        description: "first line to read (1-based, optional)",
      },
      line_count: {
        type: "number",
        description: "number of lines to read (optional)",
      },
    },
    ["path"],
  ),
  async run(args, context) {
    const file = await confined(context.workspace, args.path);
    if (typeof file !== "string") return file;
    try {
      let text = await fs.readFile(file, "utf8");
      if (
        typeof args.start_line === "number" ||
        typeof args.line_count === "number"
      ) {
        const start = Math.max(1, Number(args.start_line ?? 1));
        const lines = text.split("\n");
        text = lines
          .slice(
            start - 1,
            args.line_count === undefined
              ? undefined
              : start - 1 + Number(args.line_count),
          )
          .join("\n");
      }
      const out = truncateOutput(
        text,
        context.maxOutputChars,
        "read a range with start_line and line_count",
      );
      return { content: out.text, isError: false, truncated: out.truncated };
    } catch (error) {
      return toolError(
        `cannot read ${String(args.path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  },
};

/** `write_file`: creates or replaces a file (parent folders created). */
export const writeFileTool: Tool = {
  spec: spec(
    "write_file",
    "Create or overwrite a file with the given content.",
    {
      path: {
        type: "string",
        description: "path relative to the workspace root",
      },
      content: { type: "string", description: "the complete new content" },
    },
    ["path", "content"],
  ),
  async run(args, context) {
    const file = await confined(context.workspace, args.path);
    if (typeof file !== "string") return file;
    const content = stringArg(args, "content");
    if (typeof content !== "string")
      return content ?? toolError("content is required");
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
    return {
      content: `wrote ${String(args.path)} (${content.length} chars)`,
      isError: false,
    };
  },
};

/** `edit_file`: replaces one exact occurrence of `old_text` (all with `replace_all`). */
export const editFileTool: Tool = {
  spec: spec(
    "edit_file",
    "Replace an exact piece of text in a file. old_text must occur exactly once unless replace_all is true.",
    {
      path: {
        type: "string",
        description: "path relative to the workspace root",
      },
      old_text: { type: "string", description: "the exact text to find" },
      new_text: { type: "string", description: "the replacement" },
      replace_all: {
        type: "boolean",
        description: "replace every occurrence (optional)",
      },
    },
    ["path", "old_text", "new_text"],
  ),
  async run(args, context) {
    const file = await confined(context.workspace, args.path);
    if (typeof file !== "string") return file;
    const oldText = stringArg(args, "old_text");
    const newText = stringArg(args, "new_text");
    if (typeof oldText !== "string")
      return oldText ?? toolError("old_text is required");
    if (typeof newText !== "string")
      return newText ?? toolError("new_text is required");
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch {
      return toolError(
        `cannot edit ${String(args.path)}: it does not exist; use write_file to create it`,
      );
    }
    const count = oldText === "" ? 0 : text.split(oldText).length - 1;
    if (count === 0)
      return toolError(
        `old_text not found in ${String(args.path)}; read the file and copy the text exactly`,
      );
    if (count > 1 && args.replace_all !== true)
      return toolError(
        `old_text occurs ${count} times in ${String(args.path)}; add context to make it unique or set replace_all`,
      );
    await fs.writeFile(
      file,
      args.replace_all === true
        ? text.split(oldText).join(newText)
        : text.replace(oldText, () => newText),
    );
    return {
      content: `edited ${String(args.path)} (${count} replacement${count > 1 ? "s" : ""})`,
      isError: false,
    };
  },
};
