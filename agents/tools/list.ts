/** `list_files`, and the directory walk that `search_text` shares: no symlink following, .git and node_modules skipped. */
import fs from "node:fs/promises";
import path from "node:path";
import { confined } from "./files.js";
import { truncateOutput } from "./truncate.js";
import { spec, type Tool } from "./tool.js";

const SKIP_DIRS = new Set([".git", "node_modules"]);

/** `list_files`: files under a folder, recursively, skipping .git and node_modules. */
export const listFilesTool: Tool = {
  spec: spec(
    "list_files",
    "List files under a folder of the workspace (recursive).",
    {
      path: {
        type: "string",
        description: "folder relative to the workspace root (default '.')",
      },
    },
    [],
  ),
  async run(args, context) {
    const dir = await confined(context.workspace, args.path ?? ".");
    if (typeof dir !== "string") return dir;
    const files: string[] = [];
    await walk(dir, context.workspace, files, 2000);
    const out = truncateOutput(
      files.join("\n"),
      context.maxOutputChars,
      "list a subfolder",
    );
    return {
      content: out.text === "" ? "(no files)" : out.text,
      isError: false,
      truncated: out.truncated,
    };
  },
};

/** Collects workspace-relative file paths under `dir` (no symlink following), up to `limit`. */
export async function walk(
  dir: string,
  root: string,
  out: string[],
  limit: number,
): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (out.length >= limit) return;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name))
      await walk(full, root, out, limit);
    else if (entry.isFile() || entry.isSymbolicLink())
      out.push(path.relative(root, full));
  }
}
