/**
 * Work waiting for a human, as people see it, from plain data: the record of the current claim
 * (not an older one's), the status line with who, since when and the commands; the live view's
 * lines and header; the dashboard's task card data with the approval and the reviewers' verdicts.
 */
import { describe, expect, it } from "vitest";
import type { SwarmEvent } from "../../../coordination/base/events.js";
import { deriveSwarmState } from "../../../coordination/protocol/swarm-state.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { buildSnapshot } from "../../../runner/dashboard/snapshot.js";
import { foldRun } from "../../../runner/dashboard/run-fold.js";
import {
  approvalView,
  currentApproval,
  describeApproval,
  type ApprovalRecord,
} from "../../../runner/gates/approval-record.js";
import {
  describeEvent,
  renderTable,
  RunTally,
} from "../../../runner/swarm/live-view.js";

const waiting: ApprovalRecord = {
  task: "t1",
  state: "waiting",
  agent: "a",
  claimId: "c2",
  attempt: 2,
  summary: "did it",
  review: "approved by codex-rev (rule all)",
  at: "2026-12-05T21:00:00.000Z",
};

describe("the approval of the current claim", () => {
  it("is the record of this claim and attempt; an older claim's record is history", () => {
    const old = { ...waiting, claimId: "c1", attempt: 1, state: "rejected" };
    const records = [old as ApprovalRecord, waiting];
    expect(currentApproval(records, "t1", { claimId: "c2", attempt: 2 })).toBe(
      waiting,
    );
    expect(
      currentApproval(records, "t1", { claimId: "c3", attempt: 3 }),
    ).toBeUndefined();
    expect(currentApproval(records, "t1", undefined)).toBeUndefined();
  });

  it("says who waits since when, the AI review, and the commands that answer it", () => {
    expect(describeApproval(approvalView(waiting))).toBe(
      "a, waiting for approval since 2026-12-05T21:00:00.000Z (approved by codex-rev (rule all)): gitswarm approve t1 | gitswarm reject t1 --reason TEXT",
    );
    const rejected = approvalView({
      ...waiting,
      state: "rejected",
      by: "bob",
      reason: "French",
    });
    expect(describeApproval(rejected)).toContain("rejected by bob");
    expect(rejected).toMatchObject({ by: "bob", reason: "French" });
  });
});

const at = (s: number) => `2026-12-05T21:00:${String(s).padStart(2, "0")}.000Z`;
const events = [
  {
    type: "run-start",
    time: at(0),
    runId: "r",
    agents: [{ name: "a", kind: "anthropic" }],
    tasks: 1,
    hub: "h",
  },
  { type: "claim", time: at(1), agent: "a", task: "t1", outcome: "won" },
  {
    type: "review",
    time: at(2),
    agent: "a",
    task: "t1",
    reviewer: "codex-rev",
    attempt: 1,
    verdict: "request-changes",
    findings: 2,
    costUsd: 0.01,
  },
  {
    type: "review",
    time: at(3),
    agent: "a",
    task: "t1",
    reviewer: "codex-rev",
    attempt: 2,
    verdict: "approve",
    findings: 0,
    costUsd: 0.01,
  },
  {
    type: "approval",
    time: at(4),
    agent: "a",
    task: "t1",
    state: "waiting",
    detail: "approved by codex-rev (rule all)",
  },
] as SwarmEvent[];

describe("the live view", () => {
  it("tells the wait with its commands, shows it in the header, and the answer", () => {
    expect(describeEvent(events[4] as SwarmEvent)).toBe(
      "21:00:04 t1 (work of a) waits for a human (approved by codex-rev (rule all)): gitswarm approve t1 | gitswarm reject t1 --reason TEXT",
    );
    const tally = new RunTally();
    for (const e of events) tally.apply(e, 0);
    const table = renderTable(tally, 0);
    expect(table).toContain(
      "gitswarm: waiting for a human: t1 (since 21:00:04)",
    );
    expect(table).toMatch(/ a +t1 +approval /);
    const answer = {
      type: "approval",
      time: at(9),
      agent: "a",
      task: "t1",
      state: "rejected",
      by: "bob",
      detail: "French",
    } as SwarmEvent;
    expect(describeEvent(answer)).toBe("21:00:09 t1 rejected by bob: French");
    tally.apply(answer, 0);
    expect(renderTable(tally, 0)).not.toContain("waiting for a human");
  });
});

describe("the dashboard's data", () => {
  it("shows the held task's wait and the latest attempt's verdicts", () => {
    const state = deriveSwarmState(
      {
        tip: "abc",
        progress: parseProgress(
          "# Progress\n\n- [ ] t1: Greet\n",
          "PROGRESS.md",
        ),
        archivedIds: [],
        locks: [
          {
            ok: true,
            file: "locks/t1.md",
            lock: {
              task: "t1",
              agent: "a",
              host: "h",
              claimId: "c2",
              claimedAt: at(1),
              leaseUntil: "2026-12-05T22:00:00.000Z",
              branch: "swarm/a/t1",
              attempt: 2,
              plan: "",
            },
          },
        ],
      },
      new Map(),
      new Date(at(5)),
    );
    const snap = buildSnapshot(state, foldRun("r", events), {
      problem: null,
      live: false,
      paused: false,
      hubReadAt: Date.parse(at(5)),
    });
    expect(snap.tasks[0]).toMatchObject({
      column: "claimed",
      approval: {
        state: "waiting",
        agent: "a",
        since: at(4),
        approve: "gitswarm approve t1",
        reject: "gitswarm reject t1 --reason TEXT",
      },
      reviews: [
        { reviewer: "codex-rev", attempt: 2, verdict: "approve", findings: 0 },
      ],
    });
  });
});
