/**
 * Issue 23: the CLI always says why, in one clean message — typo suggestions for commands,
 * subcommands and options, JSON errors under --json with the same exit code, help text that matches
 * the README, and `--agents` composed with the configured agents (a command agent without its
 * command refused before anything starts, with the fix).
 */
import { access, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../runner/cli/main.js";
import {
  createSwarmRepo,
  makeTasks,
  type SwarmRepo,
} from "./support/swarm-repo.js";

let repo: SwarmRepo;

/** Runs `gitswarm ARGS` in this process (the entry's own code path, minus a tsx start-up). */
async function runCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? "" },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: false,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  repo = await createSwarmRepo(
    makeTasks(2),
    [
      "agents:",
      "  - name: cmd",
      "    kind: command",
      "    command: ./agent.sh",
      "  - name: local-codex",
      "    kind: codex",
      "    baseUrl: http://127.0.0.1:9/v1",
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await rm(repo.root, { recursive: true, force: true });
});

describe("typos get the closest word, in one clean line", () => {
  it("a command: stauts → status", async () => {
    const r = await runCli(["stauts"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /unknown command 'stauts' \(did you mean 'status'\?\)/,
    );
  });

  it("a subcommand: locks brake x → locks break x", async () => {
    const r = await runCli(["locks", "brake", "x", "--repo", repo.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean 'locks break x'\?/);
    expect(r.stderr).not.toMatch(/locks break brake/);
  });

  it("an option: --agnets → --agents, said once, no parser advice", async () => {
    const r = await runCli(["run", "--agnets", "codex:1", "--repo", repo.dir]);
    expect(r.code).toBe(2);
    const first = r.stderr.split("\n")[0];
    expect(first).toBe(
      "gitswarm run: unknown option '--agnets' (did you mean '--agents'?)",
    );
    expect(r.stderr).not.toMatch(
      /gitswarm run: gitswarm run|To specify a positional/,
    );
  });
});

describe("--json errors", () => {
  it("are one JSON object on stdout with the text's exit code", async () => {
    const r = await runCli(["status", "--json", "--bogus", "--repo", repo.dir]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: "usage", message: "unknown option '--bogus'" },
    });
    const unknown = await runCli(["stauts", "--json"]);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      error: {
        code: "usage",
        message: expect.stringMatching(/did you mean 'status'/),
      },
    });
  });
});

describe("help and --agents", () => {
  it("help run says --budget is one pool, as the README does", async () => {
    const r = await runCli(["help", "run"]);
    expect(r.stdout).toMatch(
      /--budget USD\s+one pool of dollars for the whole run/,
    );
    expect(r.stdout).not.toMatch(/equal share/);
  });

  it("NAME:N and KIND:N pick configured agents: cmd twice, local-codex once", async () => {
    const r = await runCli([
      "run",
      "--agents",
      "cmd:2,codex:1",
      "--dry-run",
      "--repo",
      repo.dir,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cmd-1\s+command/);
    expect(r.stdout).toMatch(/cmd-2\s+command/);
    expect(r.stdout).toMatch(/local-codex\s+codex/);
  });

  it("run --dry-run runs the doctor's checks and says which agent a real run would refuse", async () => {
    // aider is not installed here: the plan still prints, and the preflight names the missing CLI.
    const r = await runCli([
      "run",
      "--agents",
      "aider:1",
      "--dry-run",
      "--repo",
      repo.dir,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dry run: 1 agent/);
    expect(r.stdout).toMatch(/Preflight: a real run would be refused/);
    expect(r.stdout).toMatch(
      /FAIL\s+agent aider \(aider\): the 'aider' CLI is not on PATH/,
    );
    expect(r.stdout).toMatch(/fix: .*aider/);
  });

  it("--agents command:1 with no command agent configured is refused before anything starts, with the fix", async () => {
    const bare = await createSwarmRepo(makeTasks(1), "");
    try {
      const r = await runCli([
        "run",
        "--agents",
        "command:1",
        "--repo",
        bare.dir,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/a command agent needs the command it runs/);
      expect(r.stderr).toMatch(/kind: command\n\s+command: /);
      await expect(
        access(path.join(bare.dir, ".gitswarm", "hub.git")),
      ).rejects.toThrow();
    } finally {
      await rm(bare.root, { recursive: true, force: true });
    }
  });
});
