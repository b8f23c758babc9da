/**
 * Issue 14: what a human watching `gitswarm run` reads — the header counts tasks right even when the
 * terminal view is drawn before the run has started, and agent deaths and the demo's kill are told
 * in words, never as raw JSON events.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRunOutput } from "../../runner/cli/run-output.js";
import type { CommandIo } from "../../runner/cli/command.js";
import { describeActivity } from "../../runner/agent/agent-activity.js";
import {
  describeEvent,
  renderTable,
  RunTally,
} from "../../runner/swarm/live-view.js";
import type { EventInput, SwarmEvent } from "../../coordination/base/events.js";

const at = (event: EventInput): SwarmEvent =>
  ({ time: "2026-11-21T10:00:00.000Z", ...event }) as SwarmEvent;

function terminal(): { io: CommandIo; text: () => string } {
  let out = "";
  const io: CommandIo = {
    cwd: "/",
    env: {},
    stdout: (text) => (out += text),
    stderr: () => undefined,
    isTty: true,
    signal: new AbortController().signal,
  };
  return { io, text: () => out };
}

const headers = (text: string) => text.match(/gitswarm: \d+\/\d+ tasks done/g);

describe("the live view's header", () => {
  afterEach(() => vi.useRealTimers());

  it("counts done over the run's tasks, though the view was drawn before run-start", () => {
    vi.useFakeTimers();
    const { io, text } = terminal();
    const output = createRunOutput(io, false);
    vi.advanceTimersByTime(1_500); // set-up takes a while: the table is redrawn meanwhile
    output.onEvent(
      at({
        type: "run-start",
        runId: "r",
        agents: [],
        tasks: 3,
        tasksDone: 0,
        hub: "h",
      }),
    );
    for (const task of ["a", "b", "c"])
      output.onEvent(
        at({
          type: "done",
          agent: "x",
          task,
          commit: "c0ffee",
          costUsd: 0,
          attempt: 1,
        }),
      );
    output.close();
    expect(headers(text())?.at(-1)).toBe("gitswarm: 3/3 tasks done");
    expect(text()).not.toContain("3/0");
    // Drawn during set-up, it said what it was doing, never "0/0 tasks done".
    expect(text()).toContain("gitswarm: setting up: the hub");
    expect(text()).not.toContain("0/0 tasks done");
  });

  it("counts tasks a resumed run found done", () => {
    const { io, text } = terminal();
    const output = createRunOutput(io, false);
    output.onEvent(
      at({
        type: "run-start",
        runId: "r",
        agents: [],
        tasks: 5,
        tasksDone: 2,
        hub: "h",
      }),
    );
    output.onEvent(
      at({
        type: "done",
        agent: "x",
        task: "c",
        commit: "c0ffee",
        costUsd: 0,
        attempt: 1,
      }),
    );
    output.close();
    expect(headers(text())?.at(-1)).toBe("gitswarm: 3/5 tasks done");
  });

  it("follows PROGRESS.md: a task added mid-run counts at the next refresh (4/6, not 4/5)", () => {
    const tally = new RunTally();
    const start = { type: "run-start", runId: "r", agents: [], hub: "h" };
    tally.apply(at({ ...start, tasks: 5, tasksDone: 3 } as EventInput));
    tally.apply(
      at({
        type: "done",
        agent: "x",
        task: "d",
        commit: "c",
        costUsd: 0,
        attempt: 1,
      }),
    );
    expect(tally.tasksDone()).toEqual({ done: 4, total: 5 });
    tally.apply(at({ type: "tasks", total: 6, done: 4 }));
    expect(renderTable(tally)).toContain("gitswarm: 4/6 tasks done");
    // Another runner's check-off, read off the hub, counts too; a removed task leaves the total.
    tally.apply(at({ type: "tasks", total: 5, done: 5 }));
    expect(tally.tasksDone()).toEqual({ done: 5, total: 5 });
  });
});

describe("lines for humans", () => {
  it("say what an agent did last in words, not as JSON", () => {
    const steps = [
      { type: "claim", agent: "cc", task: "t01", outcome: "won" },
      {
        type: "model-call",
        agent: "cc",
        provider: "claude-code",
        model: "claude-sonnet-4-6",
        inputTokens: 300,
        outputTokens: 40,
        costUsd: 0.002,
        latencyMs: 501,
      },
      {
        type: "agent-event",
        agent: "cc",
        event: {
          type: "cli-run",
          command: "claude",
          exitCode: 0,
          outcome: "finished",
        },
      },
      {
        type: "error",
        agent: "cc",
        message:
          "SwarmError: git merge-base failed\n    at gitFailure (git.ts:256:10)",
      },
    ].map(describeActivity);
    expect(steps).toEqual([
      "claim of t01: won",
      "a call to claude-sonnet-4-6 (340 tokens, $0.0020)",
      "ran claude (exit 0, finished)",
      "error: SwarmError: git merge-base failed",
    ]);
    for (const step of steps) expect(step).not.toMatch(/[{}]/);
  });

  it("give an error's first line, leaving its stack trace to the log", () => {
    const line = describeEvent(
      at({
        type: "error",
        agent: "cc",
        message:
          "SwarmError: git merge-base failed\n    at gitFailure (git.ts:256:10)",
      }),
    );
    expect(line).toBe(
      "10:00:00 cc: SwarmError: git merge-base failed (details in events.jsonl)",
    );
  });

  it("label the demo's deliberate kill as such, and a death as a death", () => {
    expect(
      describeEvent(
        at({
          type: "agent-state",
          agent: "scripted-3",
          state: "killed",
          reason: "the demo SIGKILLs it mid-task",
        }),
      ),
    ).toBe(
      "10:00:00 scripted-3 killed on purpose: the demo SIGKILLs it mid-task",
    );
    expect(
      describeEvent(at({ type: "agent-state", agent: "cc", state: "dead" })),
    ).toBe("10:00:00 cc died");
  });
});

describe("the live view's rows", () => {
  it("are the run's agents only: the runner, the lander and the coalescer get none, their spend still counts", () => {
    const tally = new RunTally();
    const now = Date.parse("2026-11-21T10:00:00.000Z");
    for (const event of [
      at({
        type: "run-start",
        runId: "r",
        agents: [{ name: "ada", kind: "command" }],
        tasks: 2,
        tasksDone: 0,
        hub: "h",
      }),
      at({ type: "queue", agent: "lander", phase: "batch-start", detail: "" }),
      at({
        type: "heartbeat",
        agent: "gitswarm-runner",
        task: "t1",
      } as EventInput),
      at({
        type: "model-call",
        agent: "coalescer",
        provider: "openai",
        model: "m",
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0.5,
        latencyMs: 1,
      } as EventInput),
      at({
        type: "done",
        agent: "ada",
        task: "t1",
        commit: "c",
        costUsd: 0,
        attempt: 1,
      }),
    ])
      tally.apply(event, now);
    expect([...tally.agents.keys()]).toEqual(["ada"]);
    const table = renderTable(tally, now);
    expect(table).toMatch(/^ {2}ada +- +starting/m);
    expect(table).not.toMatch(/lander|gitswarm-runner|coalescer/);
    expect(table).toMatch(/1\/2 tasks done .* spent \$0\.5000/);
  });
});
