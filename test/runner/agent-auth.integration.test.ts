/**
 * An agent whose key the provider refuses (401) mid-run gives its task back without spending an
 * attempt and stops, saying why: a revoked key fails every task alike, so retrying would only burn
 * the tasks' attempts until they are blocked.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  startFakeServer,
  type FakeServer,
} from "../agents/fixtures/fake-server.js";
import { anthropic } from "../agents/fixtures/vendors.js";
import { startRun } from "./support/cli-run.js";
import {
  createSwarmRepo,
  makeTasks,
  type SwarmRepo,
} from "./support/swarm-repo.js";

describe("an agent whose key is refused", () => {
  let server: FakeServer | undefined;
  let repo: SwarmRepo | undefined;
  afterAll(async () => {
    await server?.close();
    if (repo) await rm(repo.root, { recursive: true, force: true });
  });

  it("releases its task uncounted and stops with the reason; nothing is blocked", async () => {
    // The first call is the preflight's (the key still worked then); every call after is refused.
    server = await startFakeServer((_request, index) =>
      index === 0
        ? anthropic.reply({ text: "ok" }, 0, { input: 1, output: 1 })
        : {
            status: 401,
            body: {
              type: "error",
              error: {
                type: "authentication_error",
                message: "invalid x-api-key",
              },
            },
          },
    );
    repo = await createSwarmRepo(
      makeTasks(2),
      [
        "lease: 30s",
        "agents:",
        "  - name: claude-a",
        "    kind: anthropic",
        `    model: ${anthropic.model}`,
        `    baseUrl: ${anthropic.baseUrl(server.url)}`,
        "",
      ].join("\n"),
    );
    const run = startRun(repo.dir, { ANTHROPIC_API_KEY: "sk-ant-revoked" });
    const result = await run.done;
    const events = run.events;
    const released = events.filter((e) => e.type === "released");
    expect(released).toHaveLength(1);
    expect(String(released[0]?.reason)).toMatch(/^auth failed: /);
    expect(events.filter((e) => e.type === "attempt-failed")).toEqual([]);
    expect(events.filter((e) => e.type === "blocked")).toEqual([]);
    expect(
      events.some(
        (e) =>
          e.type === "error" &&
          /claude-a stops: auth failed: .*gitswarm doctor/.test(
            String(e.message),
          ),
      ),
    ).toBe(true);
    expect(
      events.some(
        (e) =>
          e.type === "agent-state" &&
          e.agent === "claude-a" &&
          e.state === "auth",
      ),
    ).toBe(true);
    // One model call: the agent did not go on to the next task with the same key.
    expect(
      server.requests.filter((r) => anthropic.pathPattern.test(r.path)).length,
    ).toBe(1);
    expect(
      result.exitCode,
      result.stderr ? String(result.stderr) : "",
    ).not.toBe(0);
    const progress = await readFile(path.join(repo.dir, "PROGRESS.md"), "utf8");
    expect(progress).not.toMatch(/blocked:|attempt \d+ failed/);
  });
});
