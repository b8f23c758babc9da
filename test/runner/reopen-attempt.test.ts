/**
 * Issue 19, item 9, the pure half: a blocked task a human reopened starts again at attempt 1, on
 * a new work branch (the blocked attempt's branch is kept), while a crash or a plain release still
 * resumes the same attempt.
 */
import { describe, expect, it } from "vitest";
import {
  reopenedWorkBranch,
  workBranch,
} from "../../coordination/protocol/claim.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import type { TaskMarker } from "../../coordination/state/task-marker.js";
import { nextAttempt } from "../../runner/agent/attempts.js";

const task = parseProgress("- [ ] t1: One\n").tasks[0];
const marker = (state: TaskMarker["state"], attempt: number, reason = "") =>
  ({
    task: "t1",
    state,
    agent: "a",
    claimId: "c",
    at: "2026-12-05T00:00:00.000Z",
    attempt,
    reason,
    branch: "swarm/a/t1",
  }) satisfies TaskMarker;

describe("attempts after a reopen", () => {
  it("starts a reopened blocked task at attempt 1", () => {
    if (task === undefined) throw new Error("no task");
    expect(nextAttempt(task, marker("blocked", 3))).toBe(1);
    expect(
      nextAttempt(task, marker("released", 2, "attempt 2 failed: x")),
    ).toBe(3);
    expect(nextAttempt(task, marker("broken", 2))).toBe(2);
  });

  it("gives the reopened attempt a new branch, counting reopens", () => {
    expect(workBranch("bob", "t1")).toBe("swarm/bob/t1");
    expect(reopenedWorkBranch("bob", "t1", "swarm/bob/t1")).toBe(
      "swarm/bob.r2/t1",
    );
    expect(reopenedWorkBranch("bob", "t1", "swarm/al.r2/t1")).toBe(
      "swarm/bob.r3/t1",
    );
    expect(reopenedWorkBranch("b o/b", "t1", undefined)).toBe(
      "swarm/b-o-b.r2/t1",
    );
  });
});
