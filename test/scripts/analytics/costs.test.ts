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
      attempts: {
        total: 6,
        done: 2,
        failed: 2,
        redone: 1,
        interrupted: 1,
        open: 1,
      },
    });
  });

  it("counts a failed attempt whose task a later attempt landed as redone, not as unlanded", () => {
    // a's first t1 attempt was sent back and t1 landed next; b's t2 never landed.
    const redone = (rows: typeof costs.agents) =>
      Object.fromEntries(rows.map((r) => [r.name, [r.failed, r.redone]]));
    expect(redone(costs.agents)).toEqual({
      a: [1, 1],
      b: [1, 0],
      c: [0, 0],
      d: [0, 0],
    });
    expect(redone(costs.tasks)).toMatchObject({ t1: [1, 1], t2: [1, 0] });
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

describe("attempts through the merge queue", () => {
  const enqueue = (agent: string, task: string) => ({
    type: "queue",
    agent,
    phase: "enqueue",
    detail: `queued ${task}`,
    task,
  });
  // a enqueues t1 and moves on to t2 before the lander lands t1 (in a's name); a's t2 is then
  // found the culprit of a red batch; b's t3 is still in the queue when the log ends.
  const events = [
    working("a", "t1"),
    call("a", 0.1),
    enqueue("a", "t1"),
    working("a", "t2"),
    call("a", 0.2),
    enqueue("a", "t2"),
    {
      type: "queue",
      agent: "lander",
      phase: "land",
      detail: "",
      tasks: ["t1"],
    },
    {
      type: "done",
      agent: "a",
      task: "t1",
      commit: "c",
      costUsd: 0,
      attempt: 1,
    },
    {
      type: "attempt-failed",
      agent: "a",
      task: "t2",
      attempt: 1,
      reason: "red",
    },
    working("b", "t3"),
    call("b", 0.05),
    enqueue("b", "t3"),
  ];

  it("ends a queued attempt when the lander does, in its agent's name", () => {
    const figures = foldCosts([{ file: "q.jsonl", events }]);
    expect(figures.attempts).toEqual({
      total: 3,
      done: 1,
      failed: 1,
      redone: 0,
      interrupted: 0,
      open: 1,
    });
    const a = figures.agents.find((r) => r.name === "a");
    expect(a).toMatchObject({ attempts: 2, done: 1, failed: 1 });
    expect(a?.wastedUsd).toBeCloseTo(0.2);
    expect(figures.tasks.find((r) => r.name === "t1")).toMatchObject({
      done: 1,
      failed: 0,
    });
  });
});
