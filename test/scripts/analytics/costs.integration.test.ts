import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandIo } from "../../../runner/cli/command.js";
import { main } from "../../../runner/cli/main.js";
import { History, lines, swarmMessage } from "./history.js";

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    cwd: os.tmpdir(),
    env: process.env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: false,
    signal: new AbortController().signal,
  };
  const code = await main(["analytics", ...args], io);
  return { code, stdout, stderr };
}

const call = (agent: string, costUsd: number) => ({
  time: "2026-01-01T00:00:00.000Z",
  type: "model-call",
  agent,
  provider: "openai",
  model: "m",
  inputTokens: Math.round(costUsd * 1000),
  outputTokens: Math.round(costUsd * 100),
  costUsd,
  latencyMs: 5,
});
const state = (agent: string, s: string, task?: string) => ({
  type: "agent-state",
  agent,
  state: s,
  ...(task ? { task } : {}),
});
// Run 1: agent-a fails lexer once ($0.30 wasted) and lands it ($0.15). Run 2: agent-b lands parser.
const RUN1 = [
  state("agent-a", "working", "lexer"),
  call("agent-a", 0.1),
  call("agent-a", 0.2),
  {
    type: "attempt-failed",
    agent: "agent-a",
    task: "lexer",
    attempt: 1,
    reason: "oracle",
  },
  state("agent-a", "working", "lexer"),
  call("agent-a", 0.15),
  {
    type: "done",
    agent: "agent-a",
    task: "lexer",
    commit: "c",
    costUsd: 0.15,
    attempt: 2,
  },
];
const RUN2 = [
  state("agent-b", "working", "parser"),
  call("agent-b", 0.05),
  {
    type: "done",
    agent: "agent-b",
    task: "parser",
    commit: "d",
    costUsd: 0.05,
    attempt: 1,
  },
];

let repo: History;
const scratch: string[] = [];
let run1: string;
let run2: string;

beforeAll(async () => {
  repo = await History.create();
  await repo.commit({
    author: "agent-a",
    at: 0,
    message: swarmMessage("done: lexer", {
      "Swarm-Action": "done",
      "Swarm-Task": "lexer",
    }),
    write: { "src/lexer.ts": lines(3) },
  });
  const runs = path.join(repo.dir, ".gitswarm", "runs");
  run1 = path.join(runs, "2026-01-01T00-00-00-000Z", "events.jsonl");
  run2 = path.join(runs, "2026-01-02T00-00-00-000Z", "events.jsonl");
  for (const [file, events] of [
    [run1, RUN1],
    [run2, RUN2],
  ] as const) {
    await mkdir(path.dirname(file), { recursive: true });
    // The last line is torn, as a log cut short by a crash is.
    await writeFile(
      file,
      `${events.map((e) => JSON.stringify(e)).join("\n")}\n{"type":"mod`,
    );
  }
});

afterAll(async () => {
  await repo.dispose();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe("gitswarm analytics: the cost section", () => {
  it("finds every run's event log next to the repository and reports spend, waste and attempts", async () => {
    const result = await cli(["--repo", repo.dir, "--json"]);
    expect(result.code).toBe(0);
    const { costs } = JSON.parse(result.stdout);
    expect(costs).toMatchObject({
      logs: [run1, run2],
      calls: 4,
      costUsd: 0.5,
      wastedUsd: 0.3,
      attempts: {
        total: 3,
        done: 2,
        failed: 1,
        redone: 1,
        interrupted: 0,
        open: 0,
      },
    });
    expect(
      costs.tasks.map((t: { name: string; costUsd: number }) => [
        t.name,
        t.costUsd,
      ]),
    ).toEqual([
      ["lexer", 0.45],
      ["parser", 0.05],
    ]);
  });

  it("prints the cost tables and draws the cost section in HTML", async () => {
    const html = path.join(repo.dir, ".gitswarm", "report.html");
    const result = await cli(["--repo", repo.dir, "--html", html]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Cost (2 event logs): $0.5000 over 4 model calls, 500 input + 50 output tokens; 3 attempts (2 landed, 1 sent back and redone, 0 unlanded, 0 interrupted, 0 open); spent on attempts that did not land $0.3000 (60.0%)",
    );
    expect(result.stdout).toMatch(
      /^agent-a\s+3\s+495\s+\$0\.4500\s+2\s+1\s+1\s+0\s+\$0\.3000$/m,
    );
    expect(result.stdout).toMatch(
      /^parser\s+1\s+55\s+\$0\.0500\s+1\s+1\s+0\s+0\s+\$0\.0000$/m,
    );
    const page = await readFile(html, "utf8");
    expect(page).toContain("<h2>Cost</h2>");
    // Spend per agent as HTML bars (labels wrap instead of being clipped), wasted spend in red.
    expect(page).toContain('<div id="chart-cost"><div class="hbars">');
    expect(page).toMatch(
      /class="bar" data-series="wasted \(cents\)" data-value="30"/,
    );
    expect(page).toContain(
      "<td>lexer</td><td>3</td><td>495</td><td>$0.4500</td><td>2</td><td>1</td><td>1</td><td>0</td><td>$0.3000</td>",
    );
  });

  it("reads only the logs named with --events", async () => {
    const result = await cli(["--repo", repo.dir, "--json", "--events", run2]);
    expect(JSON.parse(result.stdout).costs).toMatchObject({
      logs: [run2],
      costUsd: 0.05,
    });
  });

  it("finds the runs beside the embedded hub when the hub is analysed", async () => {
    const hub = path.join(repo.dir, ".gitswarm", "hub.git");
    await repo.git.run(["clone", "-q", "--bare", repo.dir, hub]);
    const result = await cli(["--repo", hub, "--json"]);
    expect(JSON.parse(result.stdout).costs.logs).toEqual([run1, run2]);
  });

  it("has no cost section without an event log, and refuses one it cannot read (exit 2)", async () => {
    const bare = await mkdtemp(
      path.join(os.tmpdir(), "gitswarm-analytics-nocost-"),
    );
    scratch.push(bare);
    await repo.git.run(["clone", "-q", repo.dir, bare]);
    const none = await cli(["--repo", bare, "--json"]);
    expect(JSON.parse(none.stdout).costs).toBeNull();
    expect((await cli(["--repo", bare])).stdout).not.toContain("Cost (");
    const missing = path.join(bare, "nope.jsonl");
    const bad = await cli(["--repo", bare, "--events", missing]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`cannot read the event log ${missing}`);
  });
});
