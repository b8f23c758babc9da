import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../../coordination/git/git.js";
import { main } from "../../../runner/cli/main.js";
import { analyzeRepository } from "../../../scripts/analytics/index.js";
import type { CommandIo } from "../../../runner/cli/command.js";
import { History, lines, swarmMessage } from "./history.js";

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd = os.tmpdir()): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    cwd,
    env: process.env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: false,
    signal: new AbortController().signal,
  };
  const code = await main(["analytics", ...args], io);
  return { code, stdout, stderr };
}

const scratch: string[] = [];
let repo: History;

beforeAll(async () => {
  repo = await History.create();
  await repo.commit({
    author: "agent-a",
    at: 0,
    message: "start",
    write: { "src/a.ts": lines(3) },
  });
  await repo.commit({
    author: "agent-a",
    at: 60,
    message: swarmMessage("claim: a", {
      "Swarm-Action": "claim",
      "Swarm-Task": "a",
      "Swarm-Agent": "agent-a",
      "Swarm-Claim": "x1",
    }),
    write: { "locks/a.md": lines(2) },
  });
  await repo.commit({
    author: "agent-a",
    at: 120,
    message: "more",
    write: { "src/b.ts": lines(5) },
  });
});

afterAll(async () => {
  await repo.dispose();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-analytics-bad-"));
  scratch.push(dir);
  return dir;
}

describe("gitswarm analytics (CLI)", () => {
  it("prints the table by default", async () => {
    const result = await cli(["--repo", repo.dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Coordination tax: 33.3% of commits (1/3), 20.0% of changed lines (2/10)",
    );
  });

  it("prints the documented JSON with --json", async () => {
    const result = await cli(["--repo", repo.dir, "--json", "--bucket", "day"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.commits).toBe(3);
    expect(json.coordinationTax).toEqual({
      commitShare: 1 / 3,
      lineShare: 2 / 10,
    });
    expect(json.overTime.bucket).toBe("day");
    expect(json.schemaVersion).toBe(1);
  });

  it("writes a self-contained HTML report with --html", async () => {
    const file = path.join(await tempDir(), "report.html");
    const result = await cli(["--repo", repo.dir, "--html", file]);
    expect(result.code).toBe(0);
    const html = await readFile(file, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/https?:\/\//);
    // The charts: their data and uPlot's bundle both inline (the report opens offline).
    const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(2);
    expect(html).toContain('<script type="application/json" id="report-data">');
    for (const id of ["time", "holds"])
      expect(html).toContain(`data-chart="${id}"`);
    expect(
      Math.max(...scripts.map((script) => script[1]?.length ?? 0)),
    ).toBeGreaterThan(20_000);
  });

  it("refuses bad usage with exit 2", async () => {
    expect((await cli(["--repo", repo.dir, "--bucket", "year"])).code).toBe(2);
    expect(
      (await cli(["--repo", repo.dir, "--all", "--ref", "main"])).code,
    ).toBe(2);
    expect((await cli(["--repo", repo.dir, "--max-commits", "0"])).code).toBe(
      2,
    );
    const badRef = await cli(["--repo", repo.dir, "--ref", "nope"]);
    expect(badRef).toMatchObject({ code: 2 });
    expect(badRef.stderr).toContain("'nope' is not a commit");
  });

  it("says a path is not a repository (exit 2)", async () => {
    const dir = await tempDir();
    const missing = await cli(["--repo", path.join(dir, "missing")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist or is not a directory");
    const plain = await cli(["--repo", dir]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("is not a git repository");
  });

  it("says an empty repository has nothing to analyse (exit 2)", async () => {
    const dir = await tempDir();
    await new Git(dir).run(["init", "-q"]);
    const result = await cli(["--repo", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("has no commits yet");
  });

  it("refuses a shallow clone, whose history is cut off (exit 2)", async () => {
    const dir = path.join(await tempDir(), "shallow");
    await new Git(os.tmpdir()).run([
      "clone",
      "-q",
      "--depth",
      "1",
      `file://${repo.dir}`,
      dir,
    ]);
    const result = await cli(["--repo", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("shallow clone");
    expect(result.stderr).toContain("git fetch --unshallow");
  });

  it("reports a repository with missing objects as malformed (exit 2)", async () => {
    const broken = await History.create();
    scratch.push(broken.dir);
    await broken.commit({
      author: "a",
      at: 0,
      message: "one",
      write: { "a.txt": lines(2) },
    });
    await broken.commit({
      author: "a",
      at: 60,
      message: "two",
      write: { "a.txt": lines(4) },
    });
    // Fresh commits are loose objects: deleting one blob is enough to break `git log --numstat`.
    const blob = (await broken.git.run(["rev-parse", "HEAD~1:a.txt"])).trim();
    await unlink(
      path.join(broken.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)),
    );
    const result = await cli(["--repo", broken.dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot read the history");
    expect(result.stderr).toContain("git fsck");
  });

  it("stops when its signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      analyzeRepository({ repoDir: repo.dir, signal: controller.signal }),
    ).rejects.toMatchObject({ code: "aborted" });
  });

  it("reports a corrupt .git as not a repository (exit 2)", async () => {
    const dir = await tempDir();
    await new Git(dir).run(["init", "-q"]);
    await writeFile(path.join(dir, ".git", "HEAD"), "garbage\n");
    const result = await cli(["--repo", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a git repository/);
  });
});
