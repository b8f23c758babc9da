/** A run that did nothing says why: every reason, on plain data. */
import { describe, expect, it } from "vitest";
import {
  watchAttempts,
  whyNothingDone,
  type RunFacts,
} from "../../../runner/swarm/end/nothing-done.js";

const facts = (over: Partial<RunFacts>): RunFacts => ({
  total: 3,
  doneAtStart: 0,
  doneAtEnd: 0,
  blocked: [],
  waiting: [],
  heldElsewhere: [],
  unschedulable: [],
  agentEnds: [],
  claims: 0,
  failures: [],
  stopped: false,
  ...over,
});

describe("why a run did nothing", () => {
  it("says nothing when a task was done", () => {
    expect(whyNothingDone(facts({ doneAtEnd: 1 }))).toEqual([]);
  });

  it("names an empty PROGRESS.md, all done, a stop", () => {
    expect(whyNothingDone(facts({ total: 0 }))[0]).toMatch(/no tasks/);
    expect(whyNothingDone(facts({ doneAtStart: 3, doneAtEnd: 3 }))).toEqual([
      "every task was already done",
    ]);
    expect(whyNothingDone(facts({ stopped: true }))[0]).toMatch(/stopped/);
  });

  it("lists every reason that kept the tasks from being worked", () => {
    expect(
      whyNothingDone(
        facts({
          blocked: ["a"],
          waiting: [{ task: "b", on: ["a"] }],
          heldElsewhere: [{ task: "c", holder: "x on runner-2" }],
          unschedulable: [
            { task: "d", reason: "d needs 3 GPUs; this host has 1" },
          ],
          agentEnds: [
            { name: "claude", state: "auth" },
            { name: "cmd", state: "failed" },
          ],
        }),
      ),
    ).toEqual([
      "blocked (a human must unblock them): a",
      "waiting on unfinished tasks: b (needs a)",
      "held by other runners: c (x on runner-2)",
      "cannot run here: d needs 3 GPUs; this host has 1",
      "credentials refused for claude (run 'gitswarm doctor')",
      "agents that kept crashing: cmd (see 'gitswarm logs AGENT')",
    ]);
  });

  it("names a zero budget or task limit, and the last failure of each agent", () => {
    expect(
      whyNothingDone(
        facts({
          agentEnds: [{ name: "a", state: "budget" }],
          limit: { kind: "budget", value: 0 },
        }),
      ),
    ).toEqual(["the budget ($0) was spent before any task was done"]);
    expect(
      whyNothingDone(facts({ limit: { kind: "max-tasks", value: 0 } })),
    ).toEqual(["--max-tasks 0 allowed no task"]);
    const watch = watchAttempts();
    watch.onEvent({
      type: "claim",
      agent: "a",
      task: "t",
      outcome: "won",
      ts: "",
    } as never);
    watch.onEvent({
      type: "attempt-failed",
      agent: "a",
      task: "t",
      attempt: 1,
      reason: "oracle failed\nmore",
      ts: "",
    } as never);
    watch.onEvent({
      type: "unschedulable",
      agent: "a",
      task: "g",
      reason: "g needs 2 GPUs",
      ts: "",
    } as never);
    expect(
      whyNothingDone(
        facts({ claims: watch.claims(), failures: watch.failures() }),
      ),
    ).toEqual(["a's last attempt failed: oracle failed"]);
    expect(watch.unschedulable()).toEqual([
      { task: "g", reason: "g needs 2 GPUs" },
    ]);
    expect(whyNothingDone(facts({}))).toEqual([
      "no agent claimed a task (see the event log)",
    ]);
  });
});
