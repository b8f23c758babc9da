/**
 * Issue 14: cost you can read — spend per agent and per task, attempts, and what failed attempts
 * wasted, folded from a run's events.jsonl.
 */
import { describe, expect, it } from "vitest";
import type { EventInput, SwarmEvent } from "../../runner/events.js";
import { formatCosts, summariseCosts } from "../../runner/run-costs.js";

const at = (event: EventInput): SwarmEvent =>
  ({ time: "2026-11-21T10:00:00.000Z", ...event }) as SwarmEvent;
const call = (agent: string, costUsd: number): SwarmEvent =>
  at({
    type: "model-call",
    agent,
    provider: "anthropic",
    model: "m",
    inputTokens: 1000,
    outputTokens: 100,
    costUsd,
    latencyMs: 5,
  });

// a: parser fails once (0.30 wasted), then is done (0.20); b: lexer is done (0.05), then ast is
// given up after one more failed attempt (0.40 wasted); b's respawn resumes its own claim.
const events: SwarmEvent[] = [
  at({ type: "run-start", runId: "r", agents: [], tasks: 3, hub: "h" }),
  at({ type: "claim", agent: "a", task: "parser", outcome: "won" }),
  at({ type: "claim", agent: "b", task: "lexer", outcome: "won" }),
  call("a", 0.1),
  call("b", 0.05),
  call("a", 0.2),
  at({
    type: "attempt-failed",
    agent: "a",
    task: "parser",
    attempt: 1,
    reason: "oracle",
  }),
  at({
    type: "done",
    agent: "b",
    task: "lexer",
    commit: "c",
    costUsd: 0.05,
    attempt: 1,
  }),
  at({ type: "claim", agent: "b", task: "ast", outcome: "won" }),
  call("b", 0.15),
  at({ type: "claim", agent: "b", task: "ast", outcome: "resumed" }),
  call("b", 0.25),
  at({ type: "blocked", agent: "b", task: "ast", reason: "gave up" }),
  at({ type: "claim", agent: "a", task: "parser", outcome: "won" }),
  call("a", 0.2),
  at({
    type: "done",
    agent: "a",
    task: "parser",
    commit: "d",
    costUsd: 0.2,
    attempt: 2,
  }),
  at({ type: "claim", agent: "a", task: "other", outcome: "lost" }),
];

describe("summariseCosts", () => {
  const report = summariseCosts(events);
  const round = (n: number) => Math.round(n * 1e6) / 1e6;

  it("charges each call to the task its agent held, and counts attempts and waste per task", () => {
    expect(
      report.tasks.map((t) => [
        t.name,
        round(t.costUsd),
        t.attempts,
        t.failedAttempts,
        round(t.wastedUsd),
        t.outcome,
      ]),
    ).toEqual([
      ["parser", 0.5, 2, 1, 0.3, "done"],
      ["lexer", 0.05, 1, 0, 0, "done"],
      ["ast", 0.4, 1, 1, 0.4, "blocked"],
    ]);
  });

  it("adds up per agent and for the run, tokens included", () => {
    expect(
      report.agents.map((a) => [
        a.name,
        round(a.costUsd),
        a.calls,
        a.attempts,
        round(a.wastedUsd),
      ]),
    ).toEqual([
      ["a", 0.5, 3, 2, 0.3],
      ["b", 0.45, 3, 2, 0.4],
    ]);
    expect(report.total).toMatchObject({
      calls: 6,
      inputTokens: 6000,
      outputTokens: 600,
      failedAttempts: 2,
    });
    expect(round(report.total.wastedUsd)).toBe(0.7);
  });

  it("prints a table a human reads", () => {
    const text = formatCosts(report).join("\n");
    expect(text).toMatch(
      /^cost: \$0\.9500 over 6 call\(s\); \$0\.7000 wasted on 2 failed attempt\(s\)/,
    );
    expect(text).toMatch(
      /^ {2}ast +2200 +\$0\.4000 +2 +1 +1 +\$0\.4000 {2}blocked$/m,
    );
  });
});
