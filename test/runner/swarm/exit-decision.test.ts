/** The supervisor's decision when an agent process exits (runner/swarm/process/exit-decision.ts). */
import { describe, expect, it } from "vitest";
import {
  decideExit,
  type ExitFacts,
} from "../../../runner/swarm/process/exit-decision.js";

const crashed: ExitFacts = {
  end: undefined,
  exitCode: 1,
  signal: null,
  lastEvents: ["claimed t1"],
  restarting: false,
  stoppedBecause: undefined,
  killedBecause: undefined,
  stopping: false,
  over: false,
  noRespawn: false,
  respawns: 0,
  maxRespawns: 3,
};

describe("decideExit", () => {
  it("respawns a crash, saying how it ended and what it did last", () => {
    expect(decideExit(crashed)).toEqual({
      kind: "respawn",
      why: "the agent process exited with code 1 after: claimed t1",
    });
    expect(
      decideExit({ ...crashed, signal: "SIGKILL", lastEvents: [] }),
    ).toEqual({
      kind: "respawn",
      why: "the agent process exited with SIGKILL before reporting anything",
    });
  });

  it("gives up after maxRespawns, or at once for an agent not to respawn", () => {
    expect(decideExit({ ...crashed, respawns: 3 }).kind).toBe("dead");
    expect(decideExit({ ...crashed, noRespawn: true }).kind).toBe("dead");
    expect(
      decideExit({ ...crashed, noRespawn: true, killedBecause: "the demo" }),
    ).toEqual({ kind: "killed", reason: "the demo" });
  });

  it("a clean end is the loop's own; a run that is stopping starts nothing", () => {
    expect(decideExit({ ...crashed, end: "idle", exitCode: 0 })).toEqual({
      kind: "ended",
      state: "idle",
    });
    expect(decideExit({ ...crashed, stopping: true })).toEqual({
      kind: "stopped",
    });
    expect(
      decideExit({ ...crashed, restarting: true, stopping: true }).kind,
    ).toBe("stopped");
  });

  it("a user's restart wins over a crash; a user's stop is never respawned", () => {
    expect(decideExit({ ...crashed, restarting: true })).toEqual({
      kind: "restart",
    });
    expect(
      decideExit({ ...crashed, stoppedBecause: "a user stopped it" }),
    ).toEqual({ kind: "stopped", reason: "a user stopped it" });
  });
});
