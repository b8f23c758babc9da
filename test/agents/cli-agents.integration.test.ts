/**
 * CLI agents with fake executables on PATH that print each vendor's real output format: results,
 * usage and cost, rate-limit wording, crashes, hangs, and the CLI missing from PATH.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  agentsConfigSchema,
  createAgent,
  createAgents,
  defaultSpec,
  type AgentEvent,
  type AgentKind,
} from "../../agents/index.js";
import { installFakeClis } from "./fixtures/fake-clis.js";
import { makeRequest, makeWorkspace } from "./fixtures/workspace.js";

let bin: string;
beforeAll(async () => {
  bin = await installFakeClis();
});

async function runCli(
  kind: AgentKind,
  mode: string,
  extra: { timeoutMs?: number; env?: Record<string, string> } = {},
) {
  const workspace = await makeWorkspace({ "a.txt": "alpha\n" });
  const argsFile = path.join(
    workspace,
    "..",
    `${path.basename(workspace)}-args.json`,
  );
  const events: AgentEvent[] = [];
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_MODE: mode,
    FAKE_ARGS_FILE: argsFile,
    ...extra.env,
  };
  const agent = createAgent(defaultSpec(kind, kind), {
    env,
    onEvent: (e) => events.push(e),
  });
  const request = makeRequest(
    workspace,
    extra.timeoutMs ? { budget: { timeoutMs: extra.timeoutMs } } : {},
  );
  const outcome = await agent.work(request);
  const args = JSON.parse(
    await fs.readFile(argsFile, "utf8").catch(() => "[]"),
  ) as string[];
  return { outcome, workspace, events, args };
}

describe("CLI agents", () => {
  it("claude-code: runs claude -p with stream-json in the workspace and reads result, usage and cost", async () => {
    const { outcome, workspace, events, args } = await runCli(
      "claude-code",
      "ok",
    );
    expect(outcome).toEqual({
      kind: "finished",
      summary: "Changed the greeting.",
      usage: {
        calls: 4,
        inputTokens: 2000,
        outputTokens: 450,
        // Priced by the table, not the CLI's own total ($0.0421): 700 fresh, 300 written to the
        // cache, 500 read from it, 450 out at claude-sonnet-4-6's $3 / $3.75 / $0.30 / $15.
        costUsd: 0.011625,
      },
    });
    expect(
      await fs.readFile(path.join(workspace, "done-by-claude.txt"), "utf8"),
    ).toBe("ok\n");
    expect(args.slice(0, 1)).toEqual(["-p"]);
    expect(args[1]).toContain("# Task greet: Change the greeting");
    expect(args).toEqual(
      expect.arrayContaining(["--output-format", "stream-json", "--verbose"]),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "model-call",
        provider: "claude-code",
        costUsd: 0.011625,
        inputTokens: 2000,
      }),
    );
    expect(
      events
        .filter((e) => e.type === "tool-call")
        .map((e) => e.type === "tool-call" && [e.tool, e.ok]),
    ).toEqual([
      ["Bash", true],
      ["Edit", false],
    ]);
  });

  it('claude-code: "You\'ve hit your limit · resets 3pm" is a rate limit with its reset time', async () => {
    const { outcome, events } = await runCli("claude-code", "rate-limit");
    expect(outcome).toMatchObject({
      kind: "failed",
      error: {
        kind: "rate-limited",
        until: expect.stringMatching(/T\d\d:00:00/),
      },
    });
    expect(events.some((e) => e.type === "rate-limited")).toBe(true);
  });

  it("claude-code: a bad key is auth, a crash is crashed with its stderr", async () => {
    expect((await runCli("claude-code", "auth")).outcome).toMatchObject({
      kind: "failed",
      error: { kind: "auth" },
    });
    const crash = await runCli("claude-code", "crash");
    expect(crash.outcome).toMatchObject({
      kind: "failed",
      error: {
        kind: "crashed",
        detail: expect.stringMatching(/exit code 1: .*TypeError/s),
      },
    });
  });

  it("codex: codex exec --json, usage from turn.completed, cost from the price table", async () => {
    const { outcome, workspace, args, events } = await runCli("codex", "ok");
    expect(args.slice(0, 2)).toEqual(["exec", "--json"]);
    expect(
      events
        .filter((e) => e.type === "tool-call")
        .map((e) => e.type === "tool-call" && [e.tool, e.ok]),
    ).toEqual([
      ["command_execution", true],
      ["file_change", true],
    ]);
    expect(outcome).toMatchObject({
      kind: "finished",
      summary: "Added the file.",
      usage: { calls: 1, inputTokens: 24763, outputTokens: 122 },
    });
    // No model named (spec or output) and no session log: OpenAI's highest rates, the cached
    // 24448 input tokens at the highest cached rate.
    expect(outcome.usage.costUsd).toBeCloseTo(
      (315 * 2.5 + 24448 * 1.25 + 122 * 10) / 1e6,
      5,
    );
    await fs.access(path.join(workspace, "done-by-codex.txt"));
  });

  it('codex: usage limit is a rate limit with "try again in 2 hours"; a panic is a crash', async () => {
    const before = Date.now();
    const { outcome } = await runCli("codex", "rate-limit");
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { kind: "rate-limited" },
    });
    const until =
      outcome.kind === "failed" && outcome.error.kind === "rate-limited"
        ? Date.parse(outcome.error.until ?? "")
        : NaN;
    expect(until - before).toBeGreaterThan(2 * 3600_000 - 60_000);
    expect((await runCli("codex", "crash")).outcome).toMatchObject({
      kind: "failed",
      error: {
        kind: "crashed",
        detail: expect.stringMatching(/exit code 101/),
      },
    });
  });

  it("gemini-cli: gemini -p --output-format json, stats per model", async () => {
    const { outcome, args } = await runCli("gemini-cli", "ok");
    expect(args).toEqual(
      expect.arrayContaining(["-p", "--output-format", "json"]),
    );
    expect(outcome).toMatchObject({
      kind: "finished",
      summary: "I created the file.",
      usage: { calls: 3, inputTokens: 24939, outputTokens: 174 },
    });
    // 21263 of the prompt tokens came from the cache: charged at the cached-content rate.
    expect(outcome.usage.costUsd).toBeCloseTo(
      (3676 * 1.25 + 21263 * 0.125 + 174 * 10) / 1e6,
      5,
    );
  });

  it("gemini-cli: its tool calls reach the event log, one per call, failures marked", async () => {
    const { events } = await runCli("gemini-cli", "ok");
    const calls = events.filter((e) => e.type === "tool-call");
    expect(calls).toEqual([
      {
        type: "tool-call",
        agent: "gemini-cli",
        tool: "write_file",
        ok: true,
        ms: 81,
      },
      {
        type: "tool-call",
        agent: "gemini-cli",
        tool: "run_shell_command",
        ok: false,
        ms: 900,
      },
      {
        type: "tool-call",
        agent: "gemini-cli",
        tool: "run_shell_command",
        ok: true,
        ms: 900,
      },
    ]);
  });

  it("gemini-cli: the auth refusal it prints as JSON on stderr is an auth failure with the fix", async () => {
    const { outcome } = await runCli("gemini-cli", "auth");
    expect(outcome).toMatchObject({
      kind: "failed",
      error: {
        kind: "auth",
        detail: expect.stringMatching(
          /Invalid auth method selected.*selectedType/,
        ),
      },
    });
  });

  it("gemini-cli: RESOURCE_EXHAUSTED / 429 is a rate limit", async () => {
    const { outcome } = await runCli("gemini-cli", "rate-limit");
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { kind: "rate-limited", until: expect.any(String) },
    });
  });

  it("aider: token and cost lines add up; a rate limit that exits 0 is still a rate limit", async () => {
    const ok = await runCli("aider", "ok");
    expect(ok.args).toEqual(
      expect.arrayContaining([
        "--message",
        "--yes-always",
        "--no-auto-commits",
      ]),
    );
    expect(ok.outcome).toMatchObject({
      kind: "finished",
      usage: {
        calls: 2,
        inputTokens: 5400,
        outputTokens: 225,
        // Priced by the table for the model aider names (claude-sonnet-4-6), as every CLI is.
        costUsd: 0.019575,
      },
    });
    expect((await runCli("aider", "rate-limit")).outcome).toMatchObject({
      kind: "failed",
      error: { kind: "rate-limited" },
    });
  });

  it("kills a CLI that hangs at the timeout", async () => {
    const started = Date.now();
    const { outcome } = await runCli("codex", "hang", { timeoutMs: 500 });
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { kind: "timed-out" },
    });
    // The fake CLI never ends by itself: ending at all is the kill (the bound leaves room for load).
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("a CLI missing from PATH is a crash that says how to install it", async () => {
    const workspace = await makeWorkspace();
    const agent = createAgent(defaultSpec("gemini-cli", "g"), {
      env: { PATH: "/nonexistent" },
    });
    const outcome = await agent.work(makeRequest(workspace));
    expect(outcome).toMatchObject({
      kind: "failed",
      error: {
        kind: "crashed",
        detail: expect.stringMatching(
          /'gemini' was not found on PATH.*npm install -g @google\/gemini-cli/s,
        ),
      },
    });
  });

  it("never lets a secret from the env reach the outcome", async () => {
    const secret = "sk-ant-api03-SECRETSECRETSECRET";
    const { outcome } = await runCli("claude-code", "crash", {
      env: { ANTHROPIC_API_KEY: secret, FAKE_ECHO: secret },
    });
    expect(JSON.stringify(outcome)).not.toContain(secret);
    expect(JSON.stringify(outcome)).toContain(
      "key was [redacted:ANTHROPIC_API_KEY]",
    );
  });

  it("gives a CLI its own credentials and withholds every other secret", async () => {
    const envFile = `${await makeWorkspace()}-env.json`;
    await runCli("claude-code", "ok", {
      env: {
        ANTHROPIC_API_KEY: "sk-ant-own-key-123",
        OPENAI_API_KEY: "sk-other-456",
        GH_TOKEN: "ghp_789",
        FAKE_ENV_FILE: envFile,
      },
    });
    const names = JSON.parse(await fs.readFile(envFile, "utf8")) as string[];
    expect(names).toContain("ANTHROPIC_API_KEY");
    expect(names).toContain("PATH");
    expect(names).not.toContain("OPENAI_API_KEY");
    expect(names).not.toContain("GH_TOKEN");
  });
});

describe("CLI rate limits across tasks", () => {
  it("does not start the CLI again before the stated reset time, for any agent on it", async () => {
    const workspace = await makeWorkspace();
    const argsFile = `${workspace}-args.json`;
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_MODE: "rate-limit",
      FAKE_ARGS_FILE: argsFile,
    };
    const [first, second] = createAgents(
      agentsConfigSchema.parse([
        { name: "c1", kind: "claude-code" },
        { name: "c2", kind: "claude-code" },
      ]),
      { env },
    );
    expect(await first!.work(makeRequest(workspace))).toMatchObject({
      kind: "failed",
      error: { kind: "rate-limited" },
    });
    await fs.rm(argsFile);
    const again = await second!.work(makeRequest(workspace));
    expect(again).toMatchObject({
      kind: "failed",
      error: {
        kind: "rate-limited",
        detail: expect.stringMatching(/not started/),
      },
      usage: { calls: 0 },
    });
    await expect(fs.access(argsFile)).rejects.toThrow();
  });
});

describe("command agent", () => {
  it("runs a job task's run: command in the workspace without secrets and reports its exit", async () => {
    const workspace = await makeWorkspace();
    const agent = createAgent(defaultSpec("command", "jobs"), {
      env: {
        PATH: process.env.PATH,
        ANTHROPIC_API_KEY: "sk-ant-secret-value-123",
      },
    });
    const task = {
      id: "train",
      title: "Train",
      notes: [],
      needs: [],
      tags: ["gpu"],
      run: "env > env.txt; echo step 10 loss 0.5",
    };
    expect(await agent.work(makeRequest(workspace, { task }))).toMatchObject({
      kind: "finished",
      summary: "step 10 loss 0.5",
    });
    const env = await fs.readFile(path.join(workspace, "env.txt"), "utf8");
    expect(env).toContain("GITSWARM_TASK_ID=train");
    expect(env).not.toContain("ANTHROPIC_API_KEY");
    const failing = await agent.work(
      makeRequest(workspace, {
        task: { ...task, run: "echo boom >&2; exit 3" },
      }),
    );
    expect(failing).toMatchObject({
      kind: "failed",
      error: {
        kind: "crashed",
        detail: expect.stringMatching(/exit code 3: boom/),
      },
    });
  });

  it("as a generic agent, gives the prompt on stdin and in $GITSWARM_PROMPT", async () => {
    const workspace = await makeWorkspace();
    const agent = createAgent(
      defaultSpec("command", "any", {
        command:
          'cat > from-stdin.txt; printf %s "$GITSWARM_PROMPT" > from-env.txt; echo done',
      }),
      { env: { PATH: process.env.PATH } },
    );
    expect(await agent.work(makeRequest(workspace))).toMatchObject({
      kind: "finished",
      summary: "done",
    });
    expect(
      await fs.readFile(path.join(workspace, "from-stdin.txt"), "utf8"),
    ).toContain("# Task greet");
    expect(
      await fs.readFile(path.join(workspace, "from-env.txt"), "utf8"),
    ).toContain("# Task greet");
  });

  it("gives up when there is nothing to run", async () => {
    const workspace = await makeWorkspace();
    expect(
      await createAgent(defaultSpec("command", "c")).work(
        makeRequest(workspace),
      ),
    ).toMatchObject({ kind: "gave-up" });
  });
});
