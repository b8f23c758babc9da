import { describe, expect, it } from "vitest";
import { foldCosts } from "../../../scripts/analytics/costs.js";

const call = (agent: string, costUsd: number, task?: string) => ({
  type: "model-call",
  agent,
  provider: "openai",
  model: "m",
  inputTokens: Math.round(costUsd * 1000),
  outputTokens: Math.round(costUsd * 100),
  costUsd,
  latencyMs: 5,
  ...(task ? { task } : {}),
});
const working = (agent: string, task: string) => ({
  type: "agent-state",
  agent,
  state: "working",
  task,
});

// Agent a fails t1 once and lands it on the second attempt; b gives up on t2 (its second call
// names the task itself); c calls once between attempts, then crashes on t3; d's first log ends
// mid-attempt, and d lands t4 in the next run's log.
const first = [
  { type: "run-start", runId: "r1", agents: [], tasks: 4, hub: "h" },
  working("a", "t1"),
  call("a", 0.1),
  call("a", 0.2),
  { type: "attempt-failed", agent: "a", task: "t1", attempt: 1, reason: "x" },
  working("b", "t2"),
  call("b", 0.05),
  working("a", "t1"),
  call("a", 0.15),
  {
    type: "done",
    agent: "a",
    task: "t1",
    commit: "c",
    costUsd: 0.15,
    attempt: 2,
  },
  call("b", 0.05, "t2"),
  { type: "blocked", agent: "b", task: "t2", reason: "gave up" },
  call("c", 0.01),
  working("c", "t3"),
  call("c", 0.02),
  { type: "agent-state", agent: "c", state: "killed", reason: "demo" },
  working("d", "t4"),
  call("d", 0.03),
];
const second = [
  working("d", "t4"),
  call("d", 0.04),
  "a torn line is skipped",
  {
    type: "done",
    agent: "d",
    task: "t4",
    commit: "c",
    costUsd: 0.04,
    attempt: 2,
  },
];

describe("foldCosts", () => {
  const costs = foldCosts([
    { file: "r1/events.jsonl", events: first },
    { file: "r2/events.jsonl", events: second },
  ]);

  it("totals spend, tokens and attempts, and the spend of attempts that never landed", () => {
    expect(costs).toMatchObject({
      logs: ["r1/events.jsonl", "r2/events.jsonl"],
      calls: 9,
      inputTokens: 650,
      outputTokens: 65,
      costUsd: 0.65,
      wastedUsd: 0.4,
      unattributedUsd: 0.01,
      attempts: { total: 6, done: 2, failed: 2, interrupted: 1, open: 1 },
    });
  });

  it("gives spend per agent and per task, most spend first", () => {
    const pick = (r: (typeof costs.agents)[number]) => [
      r.name,
      r.calls,
      r.costUsd,
      r.attempts,
      r.done,
      r.failed,
      r.wastedUsd,
    ];
    expect(costs.agents.map(pick)).toEqual([
      ["a", 3, 0.45, 2, 1, 1, 0.3],
      ["b", 2, 0.1, 1, 0, 1, 0.1],
      ["d", 2, 0.07, 2, 1, 0, 0],
      ["c", 2, 0.03, 1, 0, 0, 0],
    ]);
    expect(costs.tasks.map(pick)).toEqual([
      ["t1", 3, 0.45, 2, 1, 1, 0.3],
      ["t2", 2, 0.1, 1, 0, 1, 0.1],
      ["t4", 2, 0.07, 2, 1, 0, 0],
      ["t3", 1, 0.02, 1, 0, 0, 0],
    ]);
    expect(costs.tasks[0]).toMatchObject({
      inputTokens: 450,
      outputTokens: 45,
    });
  });

  it("is all zeros for a log with no model calls", () => {
    expect(foldCosts([{ file: "f", events: [] }])).toMatchObject({
      calls: 0,
      costUsd: 0,
      agents: [],
      tasks: [],
    });
  });
});
