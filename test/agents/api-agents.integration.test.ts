/**
 * API agents end to end: the real SDKs against local servers speaking each vendor's wire protocol,
 * scripted to make the agent list, read, edit and write files, run a command and finish. The files
 * on disk, the tool results sent back and the usage/cost are asserted.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  createAgent,
  defaultSpec,
  DEFAULT_PRICES,
  findPrice,
  type AgentEvent,
} from "../../agents/index.js";
import { startFakeServer, type FakeServer } from "./fixtures/fake-server.js";
import { vendors, type Step, type Vendor } from "./fixtures/vendors.js";
import { makeRequest, makeWorkspace } from "./fixtures/workspace.js";

const SECRET = "sk-test-SECRET-abcdef0123456789";
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function scripted(
  vendor: Vendor,
  steps: Step[],
  usage = { input: 1000, output: 100 },
) {
  const server = await startFakeServer((request, n) => {
    if (!vendor.pathPattern.test(request.path))
      return {
        status: 404,
        body: { error: { message: `unexpected path ${request.path}` } },
      };
    return vendor.reply(steps[Math.min(n, steps.length - 1)] ?? {}, n, usage);
  });
  servers.push(server);
  return server;
}

function agentFor(
  vendor: Vendor,
  server: FakeServer,
  events: AgentEvent[],
  extra: Record<string, unknown> = {},
) {
  const spec = defaultSpec(vendor.kind, `${vendor.kind}-1`, {
    model: vendor.model,
    baseUrl: vendor.baseUrl(server.url),
    ...extra,
  });
  return createAgent(spec, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      [vendor.keyEnv]: SECRET,
    },
    onEvent: (e) => events.push(e),
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    limits: { commandTimeoutMs: 5000 },
  });
}

const editScenario: Step[] = [
  { text: "Let me look around.", calls: [{ name: "list_files", args: {} }] },
  { calls: [{ name: "read_file", args: { path: "src/greet.txt" } }] },
  {
    calls: [
      {
        name: "edit_file",
        args: { path: "src/greet.txt", old_text: "Hello", new_text: "Goodbye" },
      },
    ],
  },
  {
    calls: [
      {
        name: "write_file",
        args: { path: "out/notes.md", content: "written by the agent\n" },
      },
      { name: "run_command", args: { command: "cat src/greet.txt; env" } },
    ],
  },
  {
    calls: [
      { name: "finish", args: { summary: "Greeting changed to Goodbye." } },
    ],
  },
];

describe.each(vendors)("$kind agent over the real SDK", (vendor) => {
  it("reads, edits and writes files, runs a command without secrets, finishes, and reports usage and cost", async () => {
    const workspace = await makeWorkspace({
      "src/greet.txt": "Hello, world\n",
      "README.md": "# demo\n",
    });
    const server = await scripted(vendor, editScenario);
    const events: AgentEvent[] = [];
    const outcome = await agentFor(vendor, server, events).work(
      makeRequest(workspace),
    );

    expect(outcome).toMatchObject({
      kind: "finished",
      summary: "Greeting changed to Goodbye.",
    });
    expect(
      await fs.readFile(path.join(workspace, "src/greet.txt"), "utf8"),
    ).toBe("Goodbye, world\n");
    expect(
      await fs.readFile(path.join(workspace, "out/notes.md"), "utf8"),
    ).toBe("written by the agent\n");

    expect(server.requests).toHaveLength(5);
    expect(server.requests.every((r) => vendor.apiKey(r) === SECRET)).toBe(
      true,
    );
    expect(vendor.toolResults(server.requests[1]!)[0]).toContain(
      "src/greet.txt",
    );
    expect(vendor.toolResults(server.requests[2]!)[0]).toBe("Hello, world\n");
    const [wrote, ran] = vendor.toolResults(server.requests[4]!);
    expect(wrote).toContain("wrote out/notes.md");
    expect(ran).toContain("Goodbye, world");
    expect(ran).toContain("PATH=");
    // The key is in the agent's env but not in its tool processes, nor anywhere sent or logged.
    for (const request of server.requests.slice(1))
      expect(vendor.toolResults(request).join("\n")).not.toContain(SECRET);
    expect(ran).not.toContain(vendor.keyEnv);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(outcome)).not.toContain(SECRET);

    const price = findPrice(vendor.model, DEFAULT_PRICES)!;
    const perCall =
      (1000 * price.inputPerMTok + 100 * price.outputPerMTok) / 1e6;
    expect(outcome.usage).toEqual({
      calls: 5,
      inputTokens: 5000,
      outputTokens: 500,
      costUsd: Math.round(perCall * 5 * 1e6) / 1e6,
    });
    const calls = events.filter((e) => e.type === "model-call");
    expect(calls).toHaveLength(5);
    expect(
      calls.reduce(
        (sum, e) => sum + (e.type === "model-call" ? e.costUsd : 0),
        0,
      ),
    ).toBeCloseTo(outcome.usage.costUsd, 9);
    expect(
      events
        .filter((e) => e.type === "tool-call")
        .map((e) => (e.type === "tool-call" ? e.tool : "")),
    ).toEqual([
      "list_files",
      "read_file",
      "edit_file",
      "write_file",
      "run_command",
      "finish",
    ]);
  });

  it("waits out a 429 with its retry-after and then succeeds", async () => {
    const workspace = await makeWorkspace();
    const server = await startFakeServer((_r, n) =>
      n === 0
        ? vendor.rateLimited(1)
        : vendor.reply(
            { calls: [{ name: "finish", args: { summary: "ok" } }] },
            n,
            { input: 10, output: 1 },
          ),
    );
    servers.push(server);
    const events: AgentEvent[] = [];
    const started = Date.now();
    const outcome = await agentFor(vendor, server, events).work(
      makeRequest(workspace),
    );
    expect(outcome.kind).toBe("finished");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "retry",
        attempt: 1,
        delayMs: 1000,
        reason: "rate-limit",
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: "rate-limited", provider: vendor.kind }),
    );
    expect(outcome.usage.calls).toBe(2);
  });

  it("retries a 500 with backoff, and reports a malformed response as a crash", async () => {
    const workspace = await makeWorkspace();
    const server = await startFakeServer((_r, n) =>
      n === 0
        ? { status: 500, body: { error: { message: "internal error" } } }
        : n === 1
          ? vendor.reply({ calls: [{ name: "list_files", args: {} }] }, n, {
              input: 10,
              output: 1,
            })
          : { body: '{"unexpected": true' },
    );
    servers.push(server);
    const events: AgentEvent[] = [];
    const outcome = await agentFor(vendor, server, events).work(
      makeRequest(workspace),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: "retry", attempt: 1, reason: "server" }),
    );
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { kind: "crashed" },
    });
    expect(
      outcome.kind === "failed" &&
        outcome.error.kind === "crashed" &&
        outcome.error.detail,
    ).toMatch(/malformed|JSON/i);
    expect(outcome.usage.calls).toBe(3);
  });
});
