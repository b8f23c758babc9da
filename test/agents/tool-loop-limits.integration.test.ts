/**
 * The shared loop's limits and refusals, driven through real SDKs and local servers: turn limit,
 * paths that escape the workspace, a hanging command, the dollar budget, auth, abort.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  agentsConfigSchema,
  createAgent,
  createAgents,
  defaultSpec,
  type AgentEvent,
  type AgentOptions,
} from "../../agents/index.js";
import { startFakeServer, type FakeServer } from "./fixtures/fake-server.js";
import {
  anthropic,
  gemini,
  openai,
  type Step,
  type Vendor,
} from "./fixtures/vendors.js";
import { makeRequest, makeWorkspace } from "./fixtures/workspace.js";
import { makeTempDir } from "../support/temp-dir.js";
import { openBudgetPool } from "../../agents/spend/budget-pool.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function run(
  vendor: Vendor,
  steps: Step[],
  opts: {
    spec?: Record<string, unknown>;
    options?: AgentOptions;
    request?: Parameters<typeof makeRequest>[1];
    files?: Record<string, string>;
  } = {},
) {
  const server = await startFakeServer((_r, n) =>
    vendor.reply(steps[Math.min(n, steps.length - 1)] ?? {}, n, {
      input: 1000,
      output: 100,
    }),
  );
  servers.push(server);
  const workspace = await makeWorkspace(opts.files ?? { "a.txt": "alpha\n" });
  const events: AgentEvent[] = [];
  const spec = defaultSpec(vendor.kind, "tester", {
    model: vendor.model,
    baseUrl: vendor.baseUrl(server.url),
    ...opts.spec,
  });
  const agent = createAgent(spec, {
    env: { PATH: process.env.PATH, [vendor.keyEnv]: "test-key-0123456789" },
    onEvent: (e) => events.push(e),
    retry: { baseDelayMs: 10 },
    ...opts.options,
  });
  const outcome = await agent.work(makeRequest(workspace, opts.request));
  return { outcome, server, workspace, events };
}

describe("the shared tool loop", () => {
  it("stops a model that never calls finish at the turn limit", async () => {
    const { outcome, server } = await run(
      openai,
      [{ calls: [{ name: "list_files", args: {} }] }],
      { spec: { maxTurns: 3 } },
    );
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { kind: "timed-out" },
    });
    expect(
      outcome.kind === "failed" && "detail" in outcome.error
        ? outcome.error.detail
        : "",
    ).toMatch(/turn limit of 3/);
    expect(server.requests).toHaveLength(3);
    expect(outcome.usage.calls).toBe(3);
  });

  it("nudges a model that answers with text only, and counts that turn", async () => {
    const { outcome, server } = await run(anthropic, [
      { text: "I think I am done." },
      { calls: [{ name: "finish", args: { summary: "done" } }] },
    ]);
    expect(outcome.kind).toBe("finished");
    expect(JSON.stringify(server.requests[1]!.body.messages.at(-1))).toMatch(
      /call finish/i,
    );
  });

  it("refuses ../../etc/passwd, absolute paths and symlinks that escape, and writes nothing outside", async () => {
    const outside = await makeTempDir("gitswarm-outside-");
    await fs.writeFile(path.join(outside, "secret.txt"), "TOP SECRET\n");
    const workspace = await makeWorkspace({ "a.txt": "alpha\n" });
    await fs.symlink(outside, path.join(workspace, "escape"));
    await fs.symlink(
      path.join(outside, "secret.txt"),
      path.join(workspace, "link.txt"),
    );
    const steps: Step[] = [
      {
        calls: [
          { name: "read_file", args: { path: "../../etc/passwd" } },
          { name: "read_file", args: { path: "/etc/passwd" } },
        ],
      },
      {
        calls: [
          { name: "read_file", args: { path: "link.txt" } },
          {
            name: "write_file",
            args: { path: "escape/planted.txt", content: "x" },
          },
        ],
      },
      {
        calls: [
          {
            name: "edit_file",
            args: {
              path: "escape/secret.txt",
              old_text: "TOP",
              new_text: "NOT",
            },
          },
          { name: "list_files", args: { path: "escape" } },
        ],
      },
      { calls: [{ name: "search_text", args: { pattern: "SECRET" } }] },
      { calls: [{ name: "finish", args: { summary: "tried" } }] },
    ];
    const server = await startFakeServer((_r, n) =>
      gemini.reply(steps[Math.min(n, steps.length - 1)]!, n, {
        input: 10,
        output: 1,
      }),
    );
    servers.push(server);
    const agent = createAgent(
      defaultSpec("gemini", "g", { model: gemini.model, baseUrl: server.url }),
      { env: { GEMINI_API_KEY: "k" } },
    );
    const outcome = await agent.work(makeRequest(workspace));
    expect(outcome.kind).toBe("finished");
    const results = server.requests
      .slice(1)
      .flatMap((r) => gemini.toolResults(r));
    expect(results.slice(0, 6)).toEqual([
      expect.stringMatching(/escapes the workspace/),
      expect.stringMatching(/absolute paths are refused/),
      expect.stringMatching(/outside the workspace through a symlink/),
      expect.stringMatching(/outside the workspace through a symlink/),
      expect.stringMatching(/outside the workspace through a symlink/),
      expect.stringMatching(/outside the workspace through a symlink/),
    ]);
    expect(results[6]).toBe("no matches");
    expect(results.join("\n")).not.toContain("root:");
    expect(results.join("\n")).not.toContain("TOP SECRET");
    expect(await fs.readdir(outside)).toEqual(["secret.txt"]);
    expect(await fs.readFile(path.join(outside, "secret.txt"), "utf8")).toBe(
      "TOP SECRET\n",
    );
  });

  it("kills a tool command that hangs, with its children, and tells the model", async () => {
    const started = Date.now();
    const { outcome, server, workspace } = await run(
      anthropic,
      [
        {
          calls: [
            {
              name: "run_command",
              args: { command: "(sleep 30; echo late > late.txt) & sleep 30" },
            },
          ],
        },
        { calls: [{ name: "finish", args: { summary: "ok" } }] },
      ],
      { options: { limits: { commandTimeoutMs: 500 } } },
    );
    expect(outcome.kind).toBe("finished");
    // Below the command's own 30 s: it was killed at its limit, not waited for.
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(anthropic.toolResults(server.requests[1]!)[0]).toMatch(
      /killed after 500 ms \(timeout\)/,
    );
    await expect(fs.access(path.join(workspace, "late.txt"))).rejects.toThrow();
  });

  it("truncates long tool output with a note", async () => {
    const { server } = await run(
      openai,
      [
        { calls: [{ name: "read_file", args: { path: "big.txt" } }] },
        { calls: [{ name: "finish", args: { summary: "ok" } }] },
      ],
      {
        files: { "big.txt": "x".repeat(50_000) },
        options: { limits: { maxToolOutputChars: 1000 } },
      },
    );
    const result = openai.toolResults(server.requests[1]!)[0]!;
    expect(result.length).toBeLessThan(1200);
    expect(result).toMatch(/49000 characters truncated of 50000/);
  });

  it("stops before the call that would exceed the task budget, and the usage adds up", async () => {
    // Each call: 1000 in + 100 out at $10/$100 per MTok = $0.02. A $0.05 budget allows two calls.
    const prices = { "priced-model": { inputPerMTok: 10, outputPerMTok: 100 } };
    const { outcome, server, events } = await run(
      openai,
      [{ calls: [{ name: "list_files", args: {} }] }],
      {
        spec: { model: "priced-model" },
        options: { prices },
        request: { budget: { taskUsd: 0.05 } },
      },
    );
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { kind: "budget-exceeded" },
      usage: { calls: 2, inputTokens: 2000, outputTokens: 200, costUsd: 0.04 },
    });
    expect(server.requests).toHaveLength(2);
    const costs = events.flatMap((e) =>
      e.type === "model-call" ? [e.costUsd] : [],
    );
    expect(costs).toEqual([0.02, 0.02]);
  });

  it("honours what is left of the run budget too", async () => {
    const prices = { "priced-model": { inputPerMTok: 10, outputPerMTok: 100 } };
    const { outcome, server } = await run(
      anthropic,
      [{ calls: [{ name: "list_files", args: {} }] }],
      {
        spec: { model: "priced-model" },
        options: { prices },
        request: { budget: { taskUsd: 5, runUsdLeft: 0.03 } },
      },
    );
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { kind: "budget-exceeded" },
    });
    expect(server.requests).toHaveLength(1);
  });

  it("draws every call on the run's shared pool: reserved before, settled after, refused when others hold the rest", async () => {
    const prices = { "priced-model": { inputPerMTok: 10, outputPerMTok: 100 } };
    const file = path.join(await makeTempDir("gitswarm-pool-"), "budget.json");
    // Another agent holds $0.05 of the $0.10 pool in flight: this one can make two $0.02 calls.
    const other = openBudgetPool(file, "other", 0.1);
    await other.reserve(0.05);
    const { outcome, server } = await run(
      openai,
      [{ calls: [{ name: "list_files", args: {} }] }],
      {
        spec: { model: "priced-model" },
        options: { prices },
        request: {
          budget: { taskUsd: 5, pool: openBudgetPool(file, "tester", 0.1) },
        },
      },
    );
    expect(outcome).toMatchObject({
      kind: "failed",
      error: {
        kind: "budget-exceeded",
        detail: expect.stringMatching(
          /run budget \$0\.1000: spent \$0\.0400, \$0\.0500 reserved/,
        ),
      },
    });
    expect(server.requests).toHaveLength(2);
    const state = JSON.parse(await fs.readFile(file, "utf8")) as unknown;
    expect(state).toMatchObject({ spentUsd: 0.04, reserved: { other: 0.05 } });
  });

  it("reports a rejected key as auth without retrying, and a missing key without calling", async () => {
    const server = await startFakeServer(() => ({
      status: 401,
      body: {
        type: "error",
        error: { type: "authentication_error", message: "invalid x-api-key" },
      },
    }));
    servers.push(server);
    const workspace = await makeWorkspace();
    const agent = createAgent(
      defaultSpec("anthropic", "a", { baseUrl: server.url }),
      { env: { ANTHROPIC_API_KEY: "bad" } },
    );
    expect(await agent.work(makeRequest(workspace))).toMatchObject({
      kind: "failed",
      error: { kind: "auth" },
      usage: { calls: 1 },
    });
    expect(server.requests).toHaveLength(1);
    const keyless = createAgent(
      defaultSpec("anthropic", "b", { baseUrl: server.url }),
      { env: {} },
    );
    expect(await keyless.work(makeRequest(workspace))).toMatchObject({
      kind: "failed",
      error: { kind: "auth", detail: "ANTHROPIC_API_KEY is not set" },
    });
    expect(server.requests).toHaveLength(1);
  });

  it("gives up after repeated 429s, then the open circuit refuses calls without touching the provider", async () => {
    const server = await startFakeServer(() => ({
      status: 429,
      headers: { "retry-after-ms": "5" },
      body: { error: { message: "Rate limit reached" } },
    }));
    servers.push(server);
    const workspace = await makeWorkspace();
    const events: AgentEvent[] = [];
    const agent = createAgent(
      defaultSpec("openai", "o", { baseUrl: `${server.url}/v1` }),
      {
        env: { OPENAI_API_KEY: "k" },
        onEvent: (e) => events.push(e),
        retry: { maxAttempts: 2, baseDelayMs: 5 },
        breaker: { threshold: 1, cooldownMs: 60_000 },
      },
    );
    expect(await agent.work(makeRequest(workspace))).toMatchObject({
      kind: "failed",
      error: { kind: "rate-limited" },
      usage: { calls: 2 },
    });
    expect(events.some((e) => e.type === "circuit-open")).toBe(true);
    const second = await agent.work(makeRequest(workspace));
    expect(second).toMatchObject({
      kind: "failed",
      error: {
        kind: "rate-limited",
        detail: expect.stringMatching(/circuit open/),
      },
      usage: { calls: 0 },
    });
    expect(server.requests).toHaveLength(2);
  });

  it("returns aborted when the runner aborts mid-command", async () => {
    const controller = new AbortController();
    const server = await startFakeServer((_r, n) =>
      openai.reply(
        { calls: [{ name: "run_command", args: { command: "sleep 30" } }] },
        n,
        { input: 1, output: 1 },
      ),
    );
    servers.push(server);
    const workspace = await makeWorkspace();
    const agent = createAgent(
      defaultSpec("openai", "o", { baseUrl: `${server.url}/v1` }),
      {
        env: { OPENAI_API_KEY: "k" },
        onEvent: (e) => e.type === "model-call" && controller.abort(),
      },
    );
    const outcome = await agent.work(
      makeRequest(workspace, { signal: controller.signal }),
    );
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { kind: "aborted" },
    });
  });

  it("stops at the time limit while waiting on a slow model", async () => {
    const server = await startFakeServer(async (_r, n) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return anthropic.reply(
        { calls: [{ name: "finish", args: { summary: "late" } }] },
        n,
        { input: 1, output: 1 },
      );
    });
    servers.push(server);
    const workspace = await makeWorkspace();
    const agent = createAgent(
      defaultSpec("anthropic", "a", { baseUrl: server.url }),
      { env: { ANTHROPIC_API_KEY: "k" } },
    );
    // The model answers "finish" after 3 s: a "timed-out" outcome is the limit, not the reply.
    const outcome = await agent.work(
      makeRequest(workspace, { budget: { timeoutMs: 300 } }),
    );
    expect(outcome).toMatchObject({
      kind: "failed",
      error: {
        kind: "timed-out",
        detail: expect.stringMatching(/time limit of 300 ms/),
      },
    });
  });

  it("offers run_oracle_sample only when the runner provides it, and searches text", async () => {
    let samples = 0;
    const oracleSample = async () => {
      samples += 1;
      return "3 passed, 1 failed\nFAIL select-1: expected 2 got 3";
    };
    const { outcome, server } = await run(
      openai,
      [
        {
          calls: [
            { name: "run_oracle_sample", args: {} },
            { name: "search_text", args: { pattern: "alp" } },
          ],
        },
        { calls: [{ name: "finish", args: { summary: "ok" } }] },
      ],
      { request: { tools: { oracleSample } } },
    );
    expect(outcome.kind).toBe("finished");
    expect(samples).toBe(1);
    const names = server.requests[0]!.body.tools.map(
      (t: { function: { name: string } }) => t.function.name,
    );
    expect(names).toEqual([
      "read_file",
      "write_file",
      "edit_file",
      "list_files",
      "search_text",
      "run_command",
      "run_oracle_sample",
      "finish",
      "give_up",
    ]);
    expect(openai.toolResults(server.requests[1]!)).toEqual([
      "3 passed, 1 failed\nFAIL select-1: expected 2 got 3",
      "a.txt:1: alpha",
    ]);
    const { server: plain } = await run(openai, [
      { calls: [{ name: "finish", args: { summary: "ok" } }] },
    ]);
    expect(
      plain.requests[0]!.body.tools.map(
        (t: { function: { name: string } }) => t.function.name,
      ),
    ).not.toContain("run_oracle_sample");
  });

  it("bounds the context: old tool results are dropped from what is sent, recent ones kept", async () => {
    const reads: Step[] = Array.from({ length: 8 }, () => ({
      calls: [{ name: "read_file", args: { path: "big.txt" } }],
    }));
    const { server } = await run(
      anthropic,
      [...reads, { calls: [{ name: "finish", args: { summary: "ok" } }] }],
      {
        files: { "big.txt": "z".repeat(15_000) },
        options: { limits: { maxContextChars: 50_000 } },
      },
    );
    const last = server.requests.at(-1)!;
    expect(last.raw.length).toBeLessThan(70_000);
    const results = last.body.messages
      .filter(
        (m: { role: string; content: unknown }) =>
          m.role === "user" && Array.isArray(m.content),
      )
      .map((m: { content: { content: string }[] }) => m.content[0]!.content);
    expect(results[0]).toMatch(
      /older read_file result dropped to save context: 15000 chars/,
    );
    expect(results.at(-1)).toBe("z".repeat(15_000));
  });

  it("does not wait out an hour-long retry-after: fails at once with the reset time, and peers on the endpoint wait too", async () => {
    const server = await startFakeServer(() => anthropic.rateLimited(3600));
    servers.push(server);
    const workspace = await makeWorkspace();
    const specs = agentsConfigSchema.parse([
      { name: "a1", kind: "anthropic", baseUrl: server.url },
      { name: "a2", kind: "anthropic", baseUrl: server.url },
    ]);
    const [a1, a2] = createAgents(specs, { env: { ANTHROPIC_API_KEY: "k" } });
    const started = Date.now();
    const first = await a1!.work(makeRequest(workspace));
    // Far below the hour it was told to wait (a bound with room for a loaded machine).
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(first).toMatchObject({
      kind: "failed",
      error: { kind: "rate-limited" },
      usage: { calls: 1 },
    });
    const until =
      first.kind === "failed" && first.error.kind === "rate-limited"
        ? Date.parse(first.error.until ?? "")
        : NaN;
    expect(until - started).toBeGreaterThan(3590_000);
    expect(await a2!.work(makeRequest(workspace))).toMatchObject({
      kind: "failed",
      error: { kind: "rate-limited" },
      usage: { calls: 0 },
    });
    expect(server.requests).toHaveLength(1);
  });
});
