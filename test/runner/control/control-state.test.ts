/** The control state of a run (runner/control/): requests, parsing, and what the runner must do. */
import { describe, expect, it } from "vitest";
import {
  applyControl,
  controlCommands,
  emptyControl,
  parseControl,
  type ControlState,
} from "../../../runner/control/control-state.js";

const now = new Date("2026-12-05T22:00:00Z");

describe("the control state", () => {
  it("pauses and resumes, saying who and when", () => {
    const paused = applyControl(emptyControl(), { kind: "pause" }, "ada", now);
    expect(paused).toMatchObject({
      paused: true,
      changedBy: "ada",
      changedAt: now.toISOString(),
    });
    expect(applyControl(paused, { kind: "resume" }, "bob", now).paused).toBe(
      false,
    );
  });

  it("stops an agent until a restart, which counts", () => {
    const stopped = applyControl(
      emptyControl(),
      { kind: "stop", agent: "w1" },
      "ada",
      now,
    );
    expect(stopped.agents.w1).toEqual({ stopped: true, restarts: 0 });
    const restarted = applyControl(
      stopped,
      { kind: "restart", agent: "w1" },
      "ada",
      now,
    );
    expect(restarted.agents.w1).toEqual({ stopped: false, restarts: 1 });
  });

  it("reads a missing, torn or foreign file as nobody steering", () => {
    for (const text of ["", "{", '"x"', '{"paused":"yes"}'])
      expect(parseControl(text), text).toEqual(emptyControl());
    const state: ControlState = {
      paused: true,
      agents: { w1: { stopped: true, restarts: 2 } },
      changedBy: "ada",
    };
    expect(parseControl(JSON.stringify(state))).toEqual(state);
  });
});

describe("what the runner does about it", () => {
  const wanted = (agents: ControlState["agents"]): ControlState => ({
    paused: false,
    agents,
  });

  it("stops a newly stopped agent once", () => {
    const want = wanted({ w1: { stopped: true, restarts: 0 } });
    expect(controlCommands({}, want)).toEqual([{ kind: "stop", agent: "w1" }]);
    expect(controlCommands(want.agents, want)).toEqual([]);
  });

  it("restarts on each new restart, running or stopped", () => {
    expect(
      controlCommands(
        { w1: { stopped: true, restarts: 0 } },
        wanted({ w1: { stopped: false, restarts: 1 } }),
      ),
    ).toEqual([{ kind: "restart", agent: "w1" }]);
    expect(
      controlCommands(
        { w1: { stopped: false, restarts: 1 } },
        wanted({ w1: { stopped: false, restarts: 2 } }),
      ),
    ).toEqual([{ kind: "restart", agent: "w1" }]);
  });

  it("takes the stop where a restart and a later stop both wait", () => {
    expect(
      controlCommands({}, wanted({ w1: { stopped: true, restarts: 1 } })),
    ).toEqual([{ kind: "stop", agent: "w1" }]);
    // Already stopped, restarted and stopped again in between: it stays stopped.
    expect(
      controlCommands(
        { w1: { stopped: true, restarts: 0 } },
        wanted({ w1: { stopped: true, restarts: 1 } }),
      ),
    ).toEqual([]);
  });
});
