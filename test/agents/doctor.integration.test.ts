/**
 * `gitswarm doctor` through the real CLI entry: missing CLIs and keys are named with their fix and
 * exit 1; with everything present it exits 0; a local OpenAI-compatible server must really answer.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  parseAgentsFlag,
  preflightAgents,
  runDoctor,
} from "../../agents/index.js";
import { main } from "../../runner/cli/main.js";
import type { CommandIo } from "../../runner/cli/command.js";
import { installFakeClis } from "./fixtures/fake-clis.js";
import { startFakeServer, type FakeServer } from "./fixtures/fake-server.js";
import { makeWorkspace } from "./fixtures/workspace.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// A PATH holding only git (and node, for the fake CLIs' shebang is absolute): no vendor CLI or
// nvidia-smi of the test machine can be found by accident.
let GIT_ONLY_PATH = "";
beforeAll(async () => {
  const dirs = (process.env.PATH ?? "").split(path.delimiter);
  const found = await Promise.all(
    dirs.map((d) =>
      fs.access(path.join(d, "git")).then(
        () => d,
        () => undefined,
      ),
    ),
  );
  const gitDir = found.find((d) => d !== undefined);
  if (gitDir === undefined) throw new Error("git is not on PATH");
  GIT_ONLY_PATH = await makeWorkspace();
  await fs.symlink(path.join(gitDir, "git"), path.join(GIT_ONLY_PATH, "git"));
  // The sandbox is part of the preflight: where bubblewrap is installed (CI installs it), keep it
  // on this bare PATH too, so a run here would not be refused for want of a sandbox.
  const bwrap = ["/usr/bin/bwrap", "/bin/bwrap"].find((p) => existsSync(p));
  if (bwrap) await fs.symlink(bwrap, path.join(GIT_ONLY_PATH, "bwrap"));
});

async function doctor(
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
) {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    cwd,
    env,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTty: false,
    signal: new AbortController().signal,
  };
  const code = await main(["doctor", ...argv], io);
  return { code, stdout, stderr };
}

describe("gitswarm doctor", () => {
  it("names a missing claude CLI and a missing ANTHROPIC_API_KEY, each with its fix, and exits 1", async () => {
    const { code, stdout } = await doctor(
      ["--agents", "claude-code:1,anthropic:1"],
      { PATH: GIT_ONLY_PATH },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/ok {4}git: git version \d+\.\d+/);
    expect(stdout).toMatch(
      /FAIL {2}agent claude-code \(claude-code\): the 'claude' CLI is not on PATH\n {6}fix: npm install -g @anthropic-ai\/claude-code/,
    );
    expect(stdout).toMatch(
      /FAIL {2}agent anthropic \(anthropic\): ANTHROPIC_API_KEY is not set\n {6}fix: export ANTHROPIC_API_KEY=\.\.\./,
    );
    expect(stdout).toMatch(/2 check\(s\) failed/);
  });

  it("exits 0 when the CLI answers --version and the key is set, and never prints the key", async () => {
    const bin = await installFakeClis(["claude"]);
    const key = "sk-ant-api03-doctor-secret-value";
    const { code, stdout } = await doctor(
      ["--agents", "claude-code:2,anthropic:1", "--json"],
      { PATH: `${bin}:${GIT_ONLY_PATH}`, ANTHROPIC_API_KEY: key },
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual([
      "git",
      "agent claude-code (claude-code)",
      "agent anthropic (anthropic)",
    ]);
    expect(report.checks[1].detail).toContain("claude 9.9.9 (fake)");
    // Passing is not enough under root: claude's permission bypass refuses root outside a sandbox.
    const root = await runDoctor(
      parseAgentsFlag("claude-code"),
      { PATH: `${bin}:${GIT_ONLY_PATH}` },
      { uid: 0 },
    );
    expect(root.ok).toBe(true);
    expect(root.checks[1]!.warning).toMatch(
      /refuses --dangerously-skip-permissions as root/,
    );
    const user = await runDoctor(
      parseAgentsFlag("claude-code"),
      { PATH: `${bin}:${GIT_ONLY_PATH}` },
      { uid: 1000 },
    );
    expect(user.checks[1]!.warning).toBeUndefined();
    expect(stdout).not.toContain(key);
  });

  it("probes a local OpenAI-compatible server with a real request", async () => {
    const server = await startFakeServer((r) =>
      r.path === "/v1/models"
        ? {
            body: {
              object: "list",
              data: [{ id: "qwen2.5-coder", object: "model" }],
            },
          }
        : { status: 404, body: {} },
    );
    servers.push(server);
    const repo = await makeWorkspace({
      "gitswarm.config.yaml": `agents:\n  - name: local\n    kind: openai\n    model: qwen2.5-coder\n    baseUrl: ${server.url}/v1\n`,
    });
    const up = await doctor(["--repo", repo], { PATH: GIT_ONLY_PATH });
    expect(up.stdout).toMatch(
      /ok {4}agent local \(openai\): http:\/\/127\.0\.0\.1:\d+\/v1 answered/,
    );
    expect(up.code).toBe(0);
    expect(server.requests.map((r) => r.path)).toEqual(["/v1/models"]);
    await server.close();
    const down = await doctor(["--repo", repo], { PATH: GIT_ONLY_PATH });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/did not answer[\s\S]*fix: start the server/);
  });

  it("reports a bad config as path: message with its line, exit 2; a bad --agents entry lists the kinds", async () => {
    const repo = await makeWorkspace({
      "gitswarm.config.yaml": "hub: {}\nagents:\n  - name: x\n    kind: gpt\n",
    });
    const bad = await doctor(["--repo", repo], { PATH: GIT_ONLY_PATH });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /gitswarm\.config\.yaml:4: agents\.0\.kind: must be one of anthropic, openai, gemini, claude-code/,
    );
    const flag = await doctor(["--agents", "claude:2"], {
      PATH: GIT_ONLY_PATH,
    });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(
      /'claude:2' is neither a kind nor a configured agent.*claude-code, codex, gemini-cli, aider, command/,
    );
    await fs.rm(repo, { recursive: true });
  });

  it("preflight refuses to start with a broken agent unless told to, then keeps only the ones that run", async () => {
    const bin = await installFakeClis(["codex"]);
    const specs = parseAgentsFlag("codex:2,gemini:1");
    const env = { PATH: `${bin}:${GIT_ONLY_PATH}` };
    await expect(preflightAgents(specs, env)).rejects.toThrow(
      /GEMINI_API_KEY is not set[\s\S]*--force/,
    );
    const { ready } = await preflightAgents(specs, env, { allowBroken: true });
    expect(ready.map((s) => s.name)).toEqual(["codex"]);
    await expect(
      preflightAgents(parseAgentsFlag("gemini"), env, { allowBroken: true }),
    ).rejects.toThrow(/no agent can run/);
  });

  it("checks GPUs with nvidia-smi when an agent declares the gpu capability", async () => {
    const bin = await makeWorkspace({
      "nvidia-smi":
        "#!/bin/sh\necho 'GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1234)'\n",
    });
    await fs.chmod(`${bin}/nvidia-smi`, 0o755);
    const repo = await makeWorkspace({
      "gitswarm.config.yaml":
        "agents:\n  - name: trainer\n    kind: command\n    capabilities: [gpu]\n",
    });
    const withGpu = await doctor(["--repo", repo], {
      PATH: `${bin}:${GIT_ONLY_PATH}`,
    });
    expect(withGpu.stdout).toMatch(/ok {4}gpus: GPU 0: NVIDIA H100/);
    expect(withGpu.code).toBe(0);
    const without = await doctor(["--repo", repo], { PATH: GIT_ONLY_PATH });
    expect(without.stdout).toMatch(
      /FAIL {2}gpus: an agent declares capability 'gpu' but nvidia-smi is not on PATH/,
    );
    expect(without.code).toBe(1);
  });
});
