/**
 * The gates' pure parts with plain data: the plan (order, what a task's keys and a job change),
 * a command gate's verdict, the per-task keys and their problems, the config sections, and what
 * the live view and the summary say about a run without an oracle.
 */
import { describe, expect, it } from "vitest";
import type { SwarmEvent } from "../../../coordination/base/events.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { readTaskGates } from "../../../coordination/progress/task.js";
import { validateProgress } from "../../../coordination/progress/validate.js";
import { parseConfig } from "../../../runner/config.js";
import { parseNameList } from "../../../runner/gates/change-gate.js";
import { commandVerdict } from "../../../runner/gates/command-gate.js";
import {
  configuredGateNames,
  planGates,
  stepName,
} from "../../../runner/gates/gate-plan.js";
import { renderTable, RunTally } from "../../../runner/swarm/live-view.js";
import { summariseRun } from "../../../runner/swarm/run-summary.js";

const lint = { name: "lint", command: "npm run lint", timeout: "10m" };
const test = { name: "test", command: "npm test", timeout: "10m" };

describe("the gate plan", () => {
  it("runs no-change first, the commands, then the oracle, review and human last", () => {
    const steps = planGates(
      [lint, test],
      {},
      { emptyOk: false, human: false },
      {
        review: true,
        human: true,
      },
    );
    expect(steps.map(stepName)).toEqual([
      "change",
      "lint",
      "test",
      "oracle",
      "review",
      "human",
    ]);
  });

  it("puts the oracle where the config places it, and drops no-change for jobs and empty: ok", () => {
    expect(
      planGates(
        [lint, "oracle", test],
        {},
        { emptyOk: true, human: false },
      ).map(stepName),
    ).toEqual(["lint", "oracle", "test"]);
    expect(
      planGates(
        [],
        { run: "python train.py" },
        { emptyOk: false, human: true },
      ).map(stepName),
    ).toEqual(["oracle", "human"]);
    expect(configuredGateNames([lint], { oracle: false })).toEqual([
      "change",
      "lint",
    ]);
  });
});

describe("a command gate's verdict", () => {
  it("passes exit 0 and fails otherwise with the tail of the output", () => {
    const run = { timedOut: false, timeoutMs: 60_000 };
    expect(commandVerdict(lint, { ...run, exitCode: 0, output: "ok" })).toEqual(
      {
        ok: true,
      },
    );
    const failed = commandVerdict(lint, {
      ...run,
      exitCode: 1,
      output: `${"x".repeat(5000)}\nsrc/a.ts:3 no-unused-vars\n`,
    });
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.reason).toMatch(
      /^gate lint failed: 'npm run lint' exited 1: …x+/,
    );
    expect(failed.reason).toContain("src/a.ts:3 no-unused-vars");
    expect(failed.reason.length).toBeLessThan(1700);
    const slow = commandVerdict(lint, {
      exitCode: null,
      timedOut: true,
      timeoutMs: 90_000,
      output: "",
    });
    expect(slow).toEqual({
      ok: false,
      reason: "gate lint failed: 'npm run lint' timed out after 90s",
    });
  });

  it("reads NUL-separated names", () => {
    expect(parseNameList("a.ts\0dir/b c.ts\0")).toEqual(["a.ts", "dir/b c.ts"]);
  });
});

describe("a task's gate keys", () => {
  const doc = parseProgress(
    [
      "- [ ] a: A",
      "  - empty: ok",
      "  - review: codex, gemini any",
      "  - approve: human",
      "- [ ] b: B",
      "  - empty: yes",
      "  - review: any all",
      "  - approve: bob",
      "- [ ] c: C",
      "  - review: none",
      "",
    ].join("\n"),
  );

  it("reads empty: ok, review: and approve: human", () => {
    const [a, , c] = doc.tasks;
    expect(readTaskGates(a!).gates).toEqual({
      emptyOk: true,
      human: true,
      review: { reviewers: ["codex", "gemini"], rule: "any" },
    });
    expect(readTaskGates(c!).gates.review).toBe("none");
  });

  it("refuses bad values with their lines", () => {
    expect(validateProgress(doc).map((p) => p.line)).toEqual([6, 7, 8]);
    expect(validateProgress(doc)[0]?.message).toMatch(/empty: expects 'ok'/);
  });
});

describe("the config's gates: and review:", () => {
  it("defaults to no command gates and a review by all reviewers, no human", () => {
    const config = parseConfig("");
    expect(config.gates).toEqual([]);
    expect(config.review).toEqual({
      rule: "all",
      human: false,
      maxDeferrals: 3,
    });
  });

  it("validates review.maxDeferrals: a whole number of at least 1", () => {
    expect(
      parseConfig("review:\n  maxDeferrals: 5\n").review.maxDeferrals,
    ).toBe(5);
    expect(() => parseConfig("review:\n  maxDeferrals: 0\n")).toThrow(
      /review.maxDeferrals: must be at least 1/,
    );
    expect(() => parseConfig("review:\n  maxDeferrals: 1.5\n")).toThrow(
      /review.maxDeferrals: must be a whole number/,
    );
  });

  it("reads command gates and the oracle's place, and refuses a built-in name", () => {
    const config = parseConfig(
      "gates:\n  - name: lint\n    command: npm run lint\n  - oracle\nreview:\n  reviewers: [codex]\n  rule: any\n  human: true\n",
    );
    expect(config.gates).toEqual([
      { name: "lint", command: "npm run lint", timeout: "10m" },
      "oracle",
    ]);
    expect(config.review).toEqual({
      reviewers: ["codex"],
      rule: "any",
      human: true,
      maxDeferrals: 3,
    });
    expect(() =>
      parseConfig("gates:\n  - name: oracle\n    command: x\n"),
    ).toThrow(/built-in gate/);
  });
});

describe("a run without an oracle", () => {
  const start = {
    type: "run-start",
    time: "2026-12-05T10:00:00.000Z",
    runId: "r",
    agents: [],
    tasks: 1,
    hub: "h",
    oracle: false,
    gates: ["change"],
  } as SwarmEvent;

  it("says 'ungated: no oracle configured' in the live view and the summary", () => {
    const tally = new RunTally();
    tally.apply(start);
    expect(renderTable(tally)).toContain("ungated: no oracle configured");
    expect(summariseRun("r", [start])).toMatchObject({
      ungated: true,
      gates: ["change"],
    });
    const gated = new RunTally();
    gated.apply({ ...start, oracle: true } as SwarmEvent);
    expect(renderTable(gated)).toContain("oracle not run yet");
  });
});
