/** The task-ref protocol's pure parts on plain data: markers, the claim decision, lock time checks. */
import { describe, expect, it } from "vitest";
import { decideClaim } from "../../coordination/protocol/claim-decision.js";
import type { TaskRefState } from "../../coordination/state/hub-view.js";
import { checkLockTimes } from "../../coordination/state/lease.js";
import type { Lock } from "../../coordination/state/lock-file.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import {
  parseMarker,
  renderMarker,
  type TaskMarker,
} from "../../coordination/state/task-marker.js";

const progress = (text: string) =>
  parseProgress(`# Progress\n\n${text}`, "PROGRESS.md");
const OPEN = progress("- [ ] a: A\n");
const DONE = progress("- [x] a: A\n");
const BLOCKED = progress("- [ ] a: A\n  - blocked: stuck\n");

const lock: Lock = {
  task: "a",
  agent: "bob",
  host: "h",
  claimId: "0123456789abcdef",
  claimedAt: "2026-11-21T10:00:00.000Z",
  leaseUntil: "2026-11-21T10:10:00.000Z",
  branch: "swarm/bob/a",
  attempt: 1,
  plan: "",
};
const marker = (
  state: TaskMarker["state"],
  extra: Partial<TaskMarker> = {},
): TaskMarker => ({
  task: "a",
  state,
  agent: "bob",
  claimId: lock.claimId,
  at: "2026-11-21T10:05:00.000Z",
  ...extra,
});
const held: TaskRefState = {
  taskId: "a",
  commit: "c1",
  lock: { ok: true, file: "locks/a.md", lock },
};
const decide = (
  doc: typeof OPEN,
  taskRef: TaskRefState | undefined,
  agent = "alice",
) =>
  decideClaim({ progress: doc, archivedIds: [], taskRef, taskId: "a", agent });

describe("markers", () => {
  it("round-trip through render and parse, a hex main commit kept as a string", () => {
    const done = marker("done", {
      main: "1".repeat(40),
      attempt: 2,
      reason: 'a "quoted"\nreason',
    });
    expect(parseMarker(renderMarker(done))).toEqual({
      ok: true,
      marker: { ...done, reason: 'a "quoted" reason' },
    });
  });
  it("name the line of a bad field", () => {
    expect(parseMarker("---\ntask: a\nstate: gone\n---\n")).toMatchObject({
      ok: false,
      line: 3,
    });
  });
});

describe("decideClaim on task refs", () => {
  it("an open task with no ref is claimable as a root; after a release, on top of the marker", () => {
    expect(decide(OPEN, undefined)).toMatchObject({
      ok: true,
      parent: undefined,
    });
    const released = { taskId: "a", commit: "c2", marker: marker("released") };
    expect(decide(OPEN, released)).toMatchObject({ ok: true, parent: "c2" });
  });
  it("a lock is held by someone else, or mine", () => {
    expect(decide(OPEN, held)).toMatchObject({ ok: false, reason: "held" });
    expect(decide(OPEN, held, "bob")).toMatchObject({ ok: "mine" });
  });
  it("a done marker newer than the main we read is stale, not open", () => {
    const ref = {
      taskId: "a",
      commit: "c3",
      marker: marker("done", { main: "m" }),
      markerInMain: false,
    };
    expect(decide(OPEN, ref).ok).toBe("stale");
    // Main contains the done commit but says open: a human unchecked it, the task is open again.
    expect(decide(OPEN, { ...ref, markerInMain: true })).toMatchObject({
      ok: true,
      parent: "c3",
    });
    expect(decide(DONE, { ...ref, markerInMain: undefined })).toMatchObject({
      ok: false,
      reason: "done",
    });
  });
  it("PROGRESS.md decides blocked; a deleted blocked: line reopens", () => {
    const ref = {
      taskId: "a",
      commit: "c4",
      marker: marker("blocked", { main: "m" }),
    };
    expect(decide(BLOCKED, ref)).toMatchObject({
      ok: false,
      reason: "blocked",
    });
    expect(decide(OPEN, { ...ref, markerInMain: true }).ok).toBe(true);
  });
  it("recurring swarm- tasks need recurring: true and are not closed by done", () => {
    const input = {
      progress: OPEN,
      archivedIds: [],
      taskId: "swarm-x",
      agent: "c",
    };
    expect(decideClaim({ ...input, taskRef: undefined })).toMatchObject({
      ok: false,
      reason: "unknown-task",
    });
    const done = {
      taskId: "swarm-x",
      commit: "c5",
      marker: { ...marker("done"), task: "swarm-x" },
    };
    expect(
      decideClaim({ ...input, taskRef: done, recurring: true }),
    ).toMatchObject({ ok: true, parent: "c5" });
    expect(
      decideClaim({
        ...input,
        taskId: "a",
        taskRef: undefined,
        recurring: true,
      }),
    ).toMatchObject({ ok: false, reason: "unknown-task" });
  });
});

describe("checkLockTimes", () => {
  const now = new Date("2026-11-21T10:01:00.000Z");
  it("accepts a sane lock and names each impossible time", () => {
    expect(checkLockTimes(lock, now)).toBeUndefined();
    expect(
      checkLockTimes({ ...lock, leaseUntil: lock.claimedAt }, now)?.key,
    ).toBe("lease-until");
    expect(
      checkLockTimes({ ...lock, leaseUntil: "2027-01-01T00:00:00.000Z" }, now)
        ?.problem,
    ).toMatch(/longer than 30 days/);
    const future = {
      ...lock,
      claimedAt: "2026-11-21T11:00:00.000Z",
      leaseUntil: "2026-11-21T11:10:00.000Z",
    };
    expect(checkLockTimes(future, now)?.key).toBe("claimed-at");
    // Within the skew allowance (30 s for a 10-minute lease) is not the future.
    const skewed = {
      ...lock,
      claimedAt: "2026-11-21T10:01:20.000Z",
      leaseUntil: "2026-11-21T10:11:20.000Z",
    };
    expect(checkLockTimes(skewed, now)).toBeUndefined();
  });
});
