import { describe, expect, it } from "vitest";
import { parseConfig } from "../../runner/config.js";
import { RunTally, describeEvent } from "../../runner/swarm/live-view.js";
import { summariseRun, parseEventLog } from "../../runner/swarm/run-summary.js";
import type { SwarmEvent } from "../../coordination/base/events.js";

describe("gitswarm.config.yaml", () => {
  it("fills defaults for an empty file", () => {
    const config = parseConfig("");
    expect(config).toMatchObject({
      hub: { remote: "origin", branch: "main" },
      lease: 600_000,
      maxAttempts: 3,
      routing: {},
    });
  });

  it("names file, line and path of every invalid value", () => {
    expect(() => parseConfig("lease: soon\nmaxAttempts: 0\n")).toThrow(
      "gitswarm.config.yaml is invalid:\n  gitswarm.config.yaml:1: lease: 'soon' is not a duration (e.g. 90s, 30m, 2h)\n  gitswarm.config.yaml:2: maxAttempts: Too small: expected number to be >0",
    );
    expect(() =>
      parseConfig("queue:\n  batch:\n    min: 4\n    wait: soon\n"),
    ).toThrow(
      "gitswarm.config.yaml:4: queue.batch.wait: must be a duration such as '5s', '90s' or '2m'",
    );
    expect(
      parseConfig("queue:\n  batch: { min: 4, wait: 5s }\n").queue.batch,
    ).toEqual({ min: 4, max: 8, wait: "5s" });
    expect(parseConfig("").queue.speculate).toBe(true);
    expect(() => parseConfig("queue:\n  speculate: sometimes\n")).toThrow(
      /gitswarm.config.yaml:2: queue.speculate: .*boolean/,
    );
    expect(() => parseConfig("hub: [unclosed\n")).toThrow(
      /gitswarm.config.yaml:\d+: .*fix the YAML syntax/,
    );
  });
});

const at = (type: string, extra: Record<string, unknown>) =>
  ({ time: "2026-11-21T10:00:00.000Z", type, ...extra }) as SwarmEvent;

describe("run events", () => {
  const events = [
    at("run-start", {
      runId: "r1",
      agents: [{ name: "a", kind: "anthropic" }],
      tasks: 3,
      hub: "/h",
    }),
    at("claim", { agent: "a", task: "t1", outcome: "won" }),
    at("model-call", {
      agent: "a",
      provider: "anthropic",
      model: "m",
      inputTokens: 10,
      outputTokens: 2,
      costUsd: 0.25,
      latencyMs: 5,
    }),
    at("done", {
      agent: "a",
      task: "t1",
      commit: "abcdef0123456",
      costUsd: 0.25,
      attempt: 1,
    }),
    at("claim", { agent: "a", task: "t2", outcome: "won" }),
    at("attempt-failed", {
      agent: "a",
      task: "t2",
      attempt: 1,
      reason: "oracle: 1 passing case(s) now fail: c1",
    }),
    at("run-end", { state: "finished", tasksDone: 1, costUsd: 0.25 }),
  ];

  it("tallies done tasks, spend and the coordination tax for the live view", () => {
    const tally = new RunTally();
    // Claims live on task refs: only a block and a synced human edit are coordination on main.
    const onMain = [
      at("blocked", { agent: "a", task: "t3", reason: "gave up" }),
      at("progress-sync", { source: "human", commit: "abc1234" }),
      at("progress-sync", { source: "human" }),
    ];
    for (const event of [...events, ...onMain]) tally.apply(event);
    expect([tally.done, tally.costUsd, tally.coordinationCommits]).toEqual([
      1, 0.25, 2,
    ]);
    expect(tally.tax()).toBeCloseTo(2 / 3);
    expect(describeEvent(events[5] as SwarmEvent)).toBe(
      "10:00:00 a attempt 1 at t2 ended without landing: oracle: 1 passing case(s) now fail: c1",
    );
    expect(describeEvent(events[2] as SwarmEvent)).toBeUndefined();
  });

  it("summarises a log, skipping a line torn by a crash", () => {
    const text = `${events.map((e) => JSON.stringify(e)).join("\n")}\n{"type":"claim","ag`;
    const summary = summariseRun("r1", parseEventLog(text));
    expect(summary).toMatchObject({
      state: "finished",
      tasksDone: 1,
      costUsd: 0.25,
      claims: { won: 2, lost: 0 },
    });
    expect(summary.agents).toEqual([
      {
        name: "a",
        kind: "anthropic",
        tasksDone: 1,
        calls: 1,
        costUsd: 0.25,
        state: "unknown",
      },
    ]);
  });
});
