import { describe, expect, it } from "vitest";
import { replayTasks } from "../../../scripts/analytics/task-timeline.js";
import type { ClassifiedCommit } from "../../../scripts/analytics/types.js";

const c = (over: Partial<ClassifiedCommit>): ClassifiedCommit => ({
  hash: "h",
  time: 0,
  agent: "a",
  class: "work",
  source: "trailer",
  forced: false,
  lines: 0,
  coordinationLines: 0,
  lockEvents: [],
  ...over,
});

describe("replayTasks", () => {
  it("matches ends to claims by claim id, even out of order", () => {
    const timeline = replayTasks([
      c({ time: 0, agent: "a", class: "claim", task: "t", claimId: "x" }),
      c({ time: 10, agent: "b", class: "claim", task: "t", claimId: "y" }),
      c({ time: 25, agent: "b", class: "release", task: "t", claimId: "y" }),
      c({ time: 100, agent: "a", class: "done", task: "t", claimId: "x" }),
    ]);
    expect(timeline.holds).toEqual([15, 100]);
    expect(timeline.claimToDone).toEqual([100]);
    expect(timeline.duplicates).toEqual([
      { task: "t", claims: 2, agents: ["a", "b"], concurrentClaims: 1 },
    ]);
    expect(timeline.openClaims).toBe(0);
  });

  it("attributes commits to the one task an agent holds", () => {
    const timeline = replayTasks([
      c({
        time: 0,
        agent: "a",
        class: "claim",
        source: "files",
        task: "x",
        lockEvents: [{ kind: "create", task: "x" }],
      }),
      c({ time: 1, agent: "a", class: "work", source: "files" }),
      c({
        time: 2,
        agent: "a",
        class: "claim",
        source: "files",
        task: "y",
        lockEvents: [{ kind: "create", task: "y" }],
      }),
      c({ time: 3, agent: "a", class: "work", source: "files" }),
      c({
        time: 4,
        agent: "a",
        class: "release",
        source: "files",
        task: "x",
        lockEvents: [{ kind: "delete", task: "x" }],
      }),
      c({ time: 5, agent: "a", class: "work", source: "files" }),
    ]);
    // Commit 3 is ambiguous (two locks held) and is not attributed.
    expect(Object.fromEntries(timeline.commitsByTask)).toEqual({ x: 3, y: 2 });
    expect(timeline.openClaims).toBe(1);
    expect(timeline.holds).toEqual([4]);
  });

  it("records breaks with the holder, and breaks whose claim predates the history", () => {
    const timeline = replayTasks([
      c({ time: 0, agent: "a", class: "claim", task: "t", claimId: "x" }),
      c({
        time: 50,
        agent: "b",
        class: "break",
        task: "t",
        claimId: "x",
        forced: true,
      }),
      c({ time: 60, agent: "b", class: "break", task: "old" }),
      c({ time: 70, agent: "b", class: "break" }),
    ]);
    expect(timeline.breaks).toEqual([
      {
        task: "t",
        by: "b",
        holder: "a",
        at: new Date(50_000).toISOString(),
        forced: true,
        heldFor: 50,
      },
      {
        task: "old",
        by: "b",
        at: new Date(60_000).toISOString(),
        forced: false,
      },
      {
        task: "(unknown)",
        by: "b",
        at: new Date(70_000).toISOString(),
        forced: false,
      },
    ]);
    expect(timeline.holds).toEqual([50]);
  });

  it("takes a foreign task's last release that no claim follows as its completion", () => {
    const lock = (kind: "create" | "delete", task: string) => [{ kind, task }];
    const timeline = replayTasks([
      c({
        time: 0,
        class: "claim",
        source: "files",
        task: "x",
        lockEvents: lock("create", "x"),
      }),
      c({
        time: 10,
        class: "release",
        source: "files",
        task: "x",
        lockEvents: lock("delete", "x"),
      }),
      c({
        time: 20,
        class: "claim",
        source: "files",
        task: "x",
        lockEvents: lock("create", "x"),
      }),
      c({
        time: 50,
        class: "release",
        source: "files",
        task: "x",
        lockEvents: lock("delete", "x"),
      }),
      c({
        time: 60,
        class: "claim",
        source: "files",
        task: "y",
        lockEvents: lock("create", "y"),
      }),
      c({
        time: 70,
        class: "release",
        source: "files",
        task: "y",
        lockEvents: lock("delete", "y"),
      }),
      c({
        time: 80,
        class: "claim",
        source: "files",
        task: "y",
        lockEvents: lock("create", "y"),
      }),
    ]);
    // x: first claim at 0, final release at 50. y: released, then claimed again and still held.
    expect(timeline.claimToDone).toEqual([50]);
  });
});
