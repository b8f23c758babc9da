/**
 * Issue 11: the file tools refuse `.git` in any form — by name at any depth, and through a
 * symlink, whether committed in the repository or made by the agent's own command — for
 * read_file, write_file, edit_file, list_files and search_text.
 */
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import { runCommandTool } from "../../agents/tools/command.js";
import {
  editFileTool,
  readFileTool,
  writeFileTool,
} from "../../agents/tools/files.js";
import { listFilesTool } from "../../agents/tools/list.js";
import { searchTextTool } from "../../agents/tools/search.js";
import type { ToolContext } from "../../agents/tools/tool.js";

let root = "";
let context: ToolContext;
let config = "";

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-toolguard-"));
  const ws = path.join(root, "ws");
  const git = new Git(ws, { name: "t", email: "t@example.com" });
  await new Git(root).run(["init", "--quiet", "-b", "main", ws]);
  await writeFile(path.join(ws, "a.txt"), "hello\n");
  // Committed symlinks: into .git, to a file inside it, and out of the workspace.
  await symlink(".git", path.join(ws, "g"));
  await symlink(".git/config", path.join(ws, "cfg"));
  await symlink("..", path.join(ws, "up"));
  await git.run(["add", "--all"]);
  await git.run(["commit", "--quiet", "-m", "links"]);
  // A fresh clone checks the committed symlinks out again: that is what an agent gets.
  const clone = path.join(root, "clone");
  await new Git(root).run(["clone", "--quiet", ws, clone]);
  config = await readFile(path.join(clone, ".git", "config"), "utf8");
  context = {
    workspace: clone,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    signal: new AbortController().signal,
    commandTimeoutMs: 10_000,
    maxOutputChars: 20_000,
  };
  // And one the agent makes itself with its command tool.
  const made = await runCommandTool.run(
    { command: "ln -s .git/hooks h && ln -s ./.git/../.git gg" },
    context,
  );
  expect(made.isError, made.content).toBe(false);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const GIT_PATHS = [
  ".git/config",
  "./.git/config",
  "sub/../.git/config",
  "g/config",
  "cfg",
  "h/pre-commit",
  "gg/config",
  "nested/.git/config",
];

describe("the file tools and .git", () => {
  it("read_file refuses every way into .git", async () => {
    for (const p of GIT_PATHS) {
      const out = await readFileTool.run({ path: p }, context);
      expect(out.isError, p).toBe(true);
      expect(out.content, p).not.toContain("[core]");
    }
  });

  it("write_file and edit_file refuse them and leave .git/config as it was", async () => {
    for (const p of GIT_PATHS) {
      const written = await writeFileTool.run(
        { path: p, content: "[core]\n\tfsmonitor = /tmp/evil\n" },
        context,
      );
      expect(written.isError, p).toBe(true);
      expect(written.content, p).toMatch(/\.git folder is off limits|outside/);
      const edited = await editFileTool.run(
        { path: p, old_text: "[core]", new_text: "[core]\n\tfsmonitor = x" },
        context,
      );
      expect(edited.isError, p).toBe(true);
    }
    const after = await readFile(
      path.join(context.workspace, ".git", "config"),
      "utf8",
    );
    expect(after).toBe(config);
  });

  it("list_files and search_text refuse a folder that is .git through a symlink, and never show its files", async () => {
    for (const p of ["g", "gg", "h", ".git", "up"]) {
      expect((await listFilesTool.run({ path: p }, context)).isError, p).toBe(
        true,
      );
      expect(
        (await searchTextTool.run({ pattern: "core", path: p }, context))
          .isError,
        p,
      ).toBe(true);
    }
    const all = await searchTextTool.run(
      { pattern: "repositoryformatversion" },
      context,
    );
    expect(all.content).toBe("no matches");
    const listed = await listFilesTool.run({}, context);
    expect(listed.content).not.toMatch(/HEAD|config\b/);
  });

  it("still reads, writes and lists ordinary files, and .gitignore is not .git", async () => {
    expect((await readFileTool.run({ path: "a.txt" }, context)).content).toBe(
      "hello\n",
    );
    expect(
      (await writeFileTool.run({ path: ".gitignore", content: "x\n" }, context))
        .isError,
    ).toBe(false);
    expect(
      (await writeFileTool.run({ path: "src/new.ts", content: "x\n" }, context))
        .isError,
    ).toBe(false);
    expect((await listFilesTool.run({}, context)).content).toContain(
      "src/new.ts",
    );
  });
});
