/** The dashboard's snapshot from plain data: columns, holders, attempts, costs, failures, and a fresh claim shown before the hub is read again. */
import { describe, expect, it } from "vitest";
import type { SwarmEvent } from "../../../coordination/base/events.js";
import { deriveSwarmState } from "../../../coordination/protocol/swarm-state.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { buildSnapshot } from "../../../runner/dashboard/snapshot.js";
import { foldRun } from "../../../runner/dashboard/run-fold.js";
import { parseAction } from "../../../runner/dashboard/actions.js";

const PROGRESS = `# Progress

## Tasks

- [ ] a: First
- [ ] b: Second
  - needs: a
- [ ] c: Third
  - blocked: gave up after 1 attempt(s); last: exit 1
- [x] d: Fourth
`;

const state = deriveSwarmState(
  {
    tip: "abc",
    progress: parseProgress(PROGRESS, "PROGRESS.md"),
    archivedIds: [],
    locks: [],
  },
  new Map(),
  new Date("2026-01-01T00:00:10Z"),
);

const at = (s: number) => `2026-01-01T00:00:${String(s).padStart(2, "0")}.000Z`;
const events = [
  {
    type: "run-start",
    time: at(0),
    runId: "r",
    agents: [{ name: "w1", kind: "command" }],
    tasks: 4,
    hub: "h",
  },
  { type: "claim", time: at(1), agent: "w1", task: "c", outcome: "won" },
  {
    type: "model-call",
    time: at(2),
    agent: "w1",
    provider: "p",
    model: "m",
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.5,
    latencyMs: 1,
  },
  {
    type: "tool-call",
    time: at(3),
    agent: "w1",
    tool: "read_file",
    ok: true,
    ms: 7,
  },
  { type: "blocked", time: at(4), agent: "w1", task: "c", reason: "gave up" },
  { type: "claim", time: at(12), agent: "w1", task: "a", outcome: "won" },
] as SwarmEvent[];

describe("the dashboard snapshot", () => {
  it("puts each task in its column with needs, failure and cost", () => {
    const snap = buildSnapshot(state, foldRun("r", events), {
      problem: null,
      live: false,
      paused: false,
      hubReadAt: Date.parse(at(20)),
    });
    const byId = new Map(snap.tasks.map((t) => [t.id, t]));
    expect([...byId.values()].map((t) => `${t.id}:${t.column}`)).toEqual([
      "a:open",
      "b:open",
      "c:blocked",
      "d:done",
    ]);
    expect(byId.get("b")?.waitingOn).toEqual(["a"]);
    expect(byId.get("c")?.lastFailure).toContain("gave up after 1 attempt");
    expect(byId.get("c")?.costUsd).toBe(0.5);
    expect(snap.agents[0]).toMatchObject({
      name: "w1",
      kind: "command",
      tokens: 15,
      costUsd: 0.5,
      lastTool: "read_file ok (7 ms)",
      task: "a",
    });
  });

  it("shows a claim logged after the last hub read at once", () => {
    const snap = buildSnapshot(state, foldRun("r", events), {
      problem: null,
      live: false,
      paused: false,
      hubReadAt: Date.parse(at(10)),
    });
    expect(snap.tasks.find((t) => t.id === "a")).toMatchObject({
      column: "claimed",
      holder: "w1",
    });
    // The blocked task stays as the hub says: an ended claim is never overlaid.
    expect(snap.tasks.find((t) => t.id === "c")?.column).toBe("blocked");
  });
});

describe("dashboard actions", () => {
  it("accept only well-formed actions", () => {
    expect(parseAction({ action: "reopen", task: "t01" })).toEqual({
      action: "reopen",
      task: "t01",
    });
    expect(
      parseAction({ action: "block", task: "t01", reason: " " }),
    ).toBeUndefined();
    expect(parseAction({ action: "reopen", task: "../x" })).toBeUndefined();
    expect(parseAction({ action: "rm -rf" })).toBeUndefined();
  });
});
