import { describe, expect, it } from "vitest";
import { deriveSwarmState } from "../../coordination/protocol/swarm-state.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import {
  failedAttempts,
  failureReason,
  lastFailure,
} from "../../runner/agent/attempts.js";
import {
  canTake,
  hasWorkAhead,
  pickTask,
  type SchedulingContext,
} from "../../runner/agent/scheduler.js";

const PROGRESS = `- [x] base: Base
- [ ] ui: Build the UI
  - tags: frontend
- [ ] parser: Parser
  - needs: base
  - tags: sql
- [ ] train: Fine-tune
  - run: python train.py
  - gpu: 1
- [ ] later: Later
  - needs: parser
`;

const state = deriveSwarmState(
  { tip: "abc", progress: parseProgress(PROGRESS), archivedIds: [], locks: [] },
  new Map(),
  new Date(),
);
const context: SchedulingContext = {
  swarmCapabilities: new Set(["frontend", "gpu"]),
  routing: {},
};
const general = { name: "g", kind: "anthropic", capabilities: [] };
const front = { name: "f", kind: "claude-code", capabilities: ["frontend"] };
const gpuJob = {
  name: "j",
  kind: "command",
  capabilities: ["gpu"],
  jobsOnly: true,
};

describe("pickTask", () => {
  it("takes the first claimable task it is capable of, in document order", () => {
    expect(pickTask(state, general, context)?.task.id).toBe("parser");
    expect(pickTask(state, front, context)?.task.id).toBe("ui");
    expect(pickTask(state, gpuJob, context)?.task.id).toBe("train");
  });

  it("treats tags nobody declares as labels, and applies routing rules", () => {
    expect(canTake(general, state.tasks[2]!.task, context)).toBe(true);
    const routed = { ...context, routing: { sql: ["codex"] } };
    expect(pickTask(state, general, routed)).toBeUndefined();
    expect(
      pickTask(state, { name: "c", kind: "codex", capabilities: [] }, routed)
        ?.task.id,
    ).toBe("parser");
  });

  it("avoids a task it just failed when another is available, but takes it when it is the only one", () => {
    expect(
      pickTask(state, front, { ...context, avoid: new Set(["ui"]) })?.task.id,
    ).toBe("parser");
    expect(
      pickTask(state, front, { ...context, avoid: new Set(["ui", "parser"]) })
        ?.task.id,
    ).toBe("ui");
    expect(
      pickTask(state, general, { ...context, avoid: new Set(["parser"]) })?.task
        .id,
    ).toBe("parser");
  });

  it("spreads agents over the first claimable tasks by their slot, so they do not all race for one", () => {
    const many = deriveSwarmState(
      {
        tip: "x",
        progress: parseProgress(
          "- [ ] t1: A\n- [ ] t2: B\n- [ ] t3: C\n- [ ] t4: D\n- [ ] t5: E\n",
        ),
        archivedIds: [],
        locks: [],
      },
      new Map(),
      new Date(),
    );
    const pick = (index: number, of: number, avoid: string[] = []) =>
      pickTask(many, general, {
        ...context,
        slot: { index, of },
        avoid: new Set(avoid),
      })?.task.id;
    expect([0, 1, 2].map((i) => pick(i, 3))).toEqual(["t1", "t2", "t3"]);
    // More agents than tasks: they wrap around the few left, never past them.
    expect([0, 5, 6, 7].map((i) => pick(i, 8))).toEqual([
      "t1",
      "t1",
      "t2",
      "t3",
    ]);
    expect(pick(1, 3, ["t2"])).toBe("t3");
    expect(pick(0, 1)).toBe("t1");
  });

  it("knows whether work is still ahead for an agent", () => {
    expect(hasWorkAhead(state, general, context)).toBe(true);
    const done = deriveSwarmState(
      {
        tip: "x",
        progress: parseProgress("- [x] a: A\n- [ ] b: B\n  - tags: frontend\n"),
        archivedIds: [],
        locks: [],
      },
      new Map(),
      new Date(),
    );
    expect(hasWorkAhead(done, general, context)).toBe(false);
    expect(hasWorkAhead(done, front, context)).toBe(true);
  });

  it("does not wait for tasks behind a blocked dependency", () => {
    const blocked = deriveSwarmState(
      {
        tip: "x",
        progress: parseProgress(
          "- [ ] a: A\n  - blocked: gave up\n- [ ] b: B\n  - needs: a\n- [ ] c: C\n  - needs: b\n",
        ),
        archivedIds: [],
        locks: [],
      },
      new Map(),
      new Date(),
    );
    expect(hasWorkAhead(blocked, general, context)).toBe(false);
  });
});

describe("attempts", () => {
  it("counts failed attempts from the notes and returns the last reason", () => {
    const task = parseProgress(
      `- [ ] a: A\n  - note: released by x: ${failureReason(1, "oracle: 3 cases regressed")}\n  - note: human says hi\n  - note: released by y: ${failureReason(2, "conflict in\n  parser.ts")}\n`,
    ).tasks[0]!;
    expect(failedAttempts(task)).toBe(2);
    expect(lastFailure(task)).toBe("conflict in parser.ts");
  });
});
