/** `search_text`: finds a literal text (or a regular expression) in the workspace's files, `file:line: text`. */
import fs from "node:fs/promises";
import path from "node:path";
import { resolveToolPath } from "./confine.js";
import { walk } from "./list.js";
import { truncateOutput } from "./truncate.js";
import { spec, toolError, type Tool } from "./tool.js";

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_MATCHES = 200;

/** Builds the line matcher; a bad regular expression is an error the model reads. */
export function lineMatcher(
  pattern: string,
  regex: boolean,
): ((line: string) => boolean) | string {
  if (!regex) return (line) => line.includes(pattern);
  try {
    const re = new RegExp(pattern);
    return (line) => re.test(line);
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message}`;
  }
}

/** The search tool. */
export const searchTextTool: Tool = {
  spec: spec(
    "search_text",
    "Search the workspace files for a text; returns file:line: matching line.",
    {
      pattern: {
        type: "string",
        description: "text to find (literal unless regex is true)",
      },
      path: { type: "string", description: "folder to search (default '.')" },
      regex: {
        type: "boolean",
        description:
          "treat pattern as a JavaScript regular expression (optional)",
      },
    },
    ["pattern"],
  ),
  async run(args, context) {
    if (typeof args.pattern !== "string" || args.pattern === "")
      return toolError("argument 'pattern' must be a non-empty string");
    const matches = lineMatcher(args.pattern, args.regex === true);
    if (typeof matches === "string") return toolError(matches);
    const where = await resolveToolPath(
      context.workspace,
      typeof args.path === "string" ? args.path : ".",
    );
    if (!where.ok) return toolError(where.reason);
    const files: string[] = [];
    await walk(where.absolute, context.workspace, files, 20_000);
    const hits: string[] = [];
    for (const file of files) {
      if (hits.length >= MAX_MATCHES) break;
      const full = path.join(context.workspace, file);
      const real = await resolveToolPath(context.workspace, file);
      if (!real.ok) continue;
      const stat = await fs.stat(full).catch(() => undefined);
      if (stat === undefined || !stat.isFile() || stat.size > MAX_FILE_BYTES)
        continue;
      const text = await fs.readFile(full, "utf8");
      if (text.includes("\0")) continue;
      text.split("\n").forEach((line, i) => {
        if (hits.length < MAX_MATCHES && matches(line))
          hits.push(`${file}:${i + 1}: ${line.slice(0, 300)}`);
      });
    }
    if (hits.length === 0) return { content: "no matches", isError: false };
    const more =
      hits.length >= MAX_MATCHES
        ? `\n[stopped at ${MAX_MATCHES} matches; narrow the pattern or path]`
        : "";
    const out = truncateOutput(
      hits.join("\n") + more,
      context.maxOutputChars,
      "narrow the pattern or path",
    );
    return {
      content: out.text,
      isError: false,
      truncated: out.truncated || more !== "",
    };
  },
};
