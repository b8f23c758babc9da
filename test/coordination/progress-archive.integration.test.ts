import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import type { CommandIo } from "../../runner/cli/command.js";
import { main } from "../../runner/cli/main.js";

const PROGRESS = `# Progress

- [x] setup: Skeleton
  - note: agent-1: done
- [ ] lexer: Tokenise
- [x] docs: Docs
`;

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(
    dirs.map((dir) => rm(dir, { recursive: true, force: true })),
  );
});

async function repoWithProgress(): Promise<{ dir: string; git: Git }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-archive-"));
  dirs.push(dir);
  const git = new Git(dir, { name: "Human", email: "human@example.com" });
  await git.run(["init", "-q", "-b", "main"]);
  await git.run(["config", "user.name", "Human"]);
  await git.run(["config", "user.email", "human@example.com"]);
  await writeFile(path.join(dir, "PROGRESS.md"), PROGRESS);
  await git.run(["add", "PROGRESS.md"]);
  await git.run(["commit", "-q", "-m", "tasks"]);
  return { dir, git };
}

async function cli(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    cwd: os.tmpdir(),
    env: process.env,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTty: false,
    signal: new AbortController().signal,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe("gitswarm archive", () => {
  it("moves done tasks to the archive in one trailer-tagged commit, and is a no-op the second time", async () => {
    const { dir, git } = await repoWithProgress();
    const first = await cli("archive", "--repo", dir, "--json");
    expect(first).toMatchObject({ code: 0, stderr: "" });
    const { ids, commit } = JSON.parse(first.stdout) as {
      ids: string[];
      commit: string;
    };
    expect(ids).toEqual(["setup", "docs"]);
    expect(await readFile(path.join(dir, "PROGRESS.md"), "utf8")).toBe(
      "# Progress\n\n- [ ] lexer: Tokenise\n",
    );
    expect(
      await readFile(path.join(dir, "PROGRESS-archive.md"), "utf8"),
    ).toMatch(
      /\n## Archived \d{4}-\d\d-\d\d\n\n- \[x\] setup: Skeleton\n {2}- note: agent-1: done\n- \[x\] docs: Docs\n$/,
    );
    expect(await git.run(["log", "-1", "--format=%H%n%an%n%B"])).toBe(
      `${commit}\nHuman\narchive: 2 done tasks\n\nMoved to PROGRESS-archive.md: setup, docs\n\nSwarm-Action: archive\n\n`,
    );
    expect(await git.run(["show", "--name-only", "--format=", "HEAD"])).toBe(
      "PROGRESS-archive.md\nPROGRESS.md\n",
    );
    expect(await git.run(["status", "--porcelain"])).toBe("");
    expect(await cli("archive", "--repo", dir)).toEqual({
      code: 0,
      stdout: "Nothing to archive: no done tasks beyond the 0 kept.\n",
      stderr: "",
    });
  });

  it("refuses uncommitted edits to PROGRESS.md and a bad --keep, changing nothing", async () => {
    const { dir, git } = await repoWithProgress();
    const edited = PROGRESS + "- [ ] mine: A human is typing this\n";
    await writeFile(path.join(dir, "PROGRESS.md"), edited);
    const dirty = await cli("archive", "--repo", dir);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain("PROGRESS.md or PROGRESS-archive.md in");
    expect(dirty.stderr).toContain(" M PROGRESS.md");
    expect(await readFile(path.join(dir, "PROGRESS.md"), "utf8")).toBe(edited);
    const bad = await cli("archive", "--repo", dir, "--keep", "many");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "--keep expects a whole number of tasks, got 'many'",
    );
    expect(await git.run(["rev-list", "--count", "HEAD"])).toBe("1\n");
  });
});
