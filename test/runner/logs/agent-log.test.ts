/** The agent log's line format, its task bookkeeping, redaction and rotation (plain files, no git). */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AgentLogBook } from "../../../runner/logs/agent-log-book.js";
import { AgentLog, agentLogFile } from "../../../runner/logs/agent-log.js";
import {
  describeLogEvent,
  formatLogEntry,
  parseLogLine,
} from "../../../runner/logs/agent-log-line.js";
import { readAgentLog } from "../../../runner/logs/read-agent-log.js";

const dirs: string[] = [];
async function runDir() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-agent-log-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0))
    await rm(dir, { recursive: true, force: true });
});

describe("agent log lines", () => {
  it("prefix every line of a multi-line text and parse back", () => {
    const text = formatLogEntry({
      time: "2026-01-01T00:00:00.000Z",
      task: "t01",
      kind: "stderr",
      text: "first\r\nsecond\n",
    });
    expect(text).toBe(
      "2026-01-01T00:00:00.000Z [t01] stderr: first\n2026-01-01T00:00:00.000Z [t01] stderr: second\n",
    );
    expect(parseLogLine(text.split("\n")[1] ?? "")).toEqual({
      time: "2026-01-01T00:00:00.000Z",
      task: "t01",
      kind: "stderr",
      text: "second",
    });
    expect(parseLogLine("not a log line").kind).toBe("text");
  });

  it("say a tool call's duration and result size, a model call's tokens and cost", () => {
    expect(
      describeLogEvent({
        type: "tool-call",
        tool: "read_file",
        ok: true,
        ms: 12,
        resultChars: 340,
      }).text,
    ).toBe("read_file ok in 12 ms, 340 chars");
    expect(
      describeLogEvent({
        type: "model-call",
        provider: "openai",
        model: "gpt-x",
        inputTokens: 100,
        outputTokens: 20,
        costUsd: 0.0123,
        latencyMs: 800,
      }).text,
    ).toBe("openai/gpt-x: 100 in + 20 out tokens, $0.0123, 800 ms");
  });
});

describe("the agent log book", () => {
  it("tags lines with the task the agent is on, and only while it is on it", async () => {
    const dir = await runDir();
    const log = new AgentLogBook(dir).forAgent("a1");
    log.record({ type: "agent-state", agent: "a1", state: "waiting" });
    log.record({
      type: "agent-state",
      agent: "a1",
      state: "working",
      task: "t01",
    });
    log.record({ type: "agent-log", kind: "stdout", text: "hello" });
    log.record({ type: "done", agent: "a1", task: "t01" });
    log.printed("stderr", "after the task");
    const lines = (await readAgentLog(dir, "a1")).live.trim().split("\n");
    expect(lines.map((l) => parseLogLine(l).task)).toEqual([
      undefined,
      "t01",
      "t01",
      "t01",
      undefined,
    ]);
  });

  it("redacts secret values from the environment", async () => {
    const dir = await runDir();
    process.env.GITSWARM_TEST_API_KEY = "sk-test-redact-me-0123456789";
    try {
      new AgentLog(dir, "a1").write({
        kind: "stdout",
        text: "key is sk-test-redact-me-0123456789",
      });
    } finally {
      delete process.env.GITSWARM_TEST_API_KEY;
    }
    const text = await readFile(agentLogFile(dir, "a1"), "utf8");
    expect(text).not.toContain("sk-test-redact-me");
    expect(text).toContain("key is");
  });

  it("rotates at the size cap, keeping two old files", async () => {
    const dir = await runDir();
    const log = new AgentLog(dir, "a1", 1000);
    for (let i = 0; i < 60; i += 1)
      log.write({ kind: "stdout", text: `line ${i} ${"x".repeat(40)}` });
    const file = agentLogFile(dir, "a1");
    for (const f of [file, `${file}.1`, `${file}.2`])
      expect((await readFile(f)).length).toBeLessThanOrEqual(1000);
    const { rotated, live } = await readAgentLog(dir, "a1");
    expect(live).toContain("line 59 ");
    expect(rotated + live).not.toContain("line 0 ");
    // Oldest first, no line lost between the kept files.
    const numbers = (rotated + live)
      .trim()
      .split("\n")
      .map((l) => Number(/line (\d+)/.exec(l)?.[1]));
    expect(numbers).toEqual(
      Array.from({ length: numbers.length }, (_, i) => 60 - numbers.length + i),
    );
  });
});
