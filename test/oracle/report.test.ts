import { describe, expect, it } from "vitest";
import { renderLineDiff } from "../../oracle/diff.js";
import { renderJunit, xml } from "../../oracle/report/junit.js";
import { formatOracleSummary } from "../../oracle/report/summary.js";
import type { CaseResult, OracleReport } from "../../oracle/types.js";

function report(
  cases: CaseResult[],
  extra: Partial<OracleReport> = {},
): OracleReport {
  return {
    cases,
    passed: cases.filter((c) => c.status === "passed").length,
    failed: cases.filter((c) => c.status === "failed").length,
    skipped: cases.filter((c) => c.status === "skipped").length,
    total: cases.length,
    jobs: 2,
    durationMs: 1234,
    staleRecordings: [],
    ...extra,
  };
}

const failing = (i: number): CaseResult => ({
  id: `cases/${i}.sql`,
  status: "failed",
  reason: `line 1: expected "a" got "b${i}"`,
  durationMs: 5,
});

describe("formatOracleSummary", () => {
  it("ends with the counts line and lists the first failures with reasons", () => {
    const text = formatOracleSummary(
      report([
        { id: "ok.sql", status: "passed", durationMs: 1 },
        ...[1, 2, 3, 4, 5, 6, 7].map(failing),
      ]),
    );
    const lines = text.split("\n");
    expect(lines.at(-1)).toBe("1 passed, 7 failed");
    expect(lines.filter((l) => l.startsWith("FAIL "))).toHaveLength(5);
    expect(lines[1]).toBe('FAIL cases/1.sql: line 1: expected "a" got "b1"');
    expect(text).toContain("2 more failure(s)");
    expect(lines.length).toBeLessThanOrEqual(8);
  });

  it("adds skipped only when there are any, and shows the sample", () => {
    const skipped: CaseResult = {
      id: "s.sql",
      status: "skipped",
      reason: "reference timed out",
      durationMs: 1,
    };
    expect(
      formatOracleSummary(report([skipped]))
        .split("\n")
        .at(-1),
    ).toBe("0 passed, 0 failed, 1 skipped");
    const sampled = formatOracleSummary(
      report([{ id: "a", status: "passed", durationMs: 1 }], {
        total: 10,
        sample: { fraction: 0.1, seed: "agent-1" },
      }),
    );
    expect(sampled).toContain('1 of 10 cases (sample 10%, seed "agent-1")');
    expect(sampled.split("\n").at(-1)).toBe("1 passed, 0 failed");
  });

  it("keeps a failure reason on one short line", () => {
    const long: CaseResult = {
      id: "x",
      status: "failed",
      reason: "a\nb" + "c".repeat(400),
      durationMs: 1,
    };
    const line = formatOracleSummary(report([long])).split("\n")[1] as string;
    expect(line.length).toBeLessThan(180);
    expect(line).not.toContain("\n");
  });
});

describe("renderJunit", () => {
  it("renders counts, failures, skips and escapes text", () => {
    const text = renderJunit(
      report([
        { id: "cases/a.sql", status: "passed", durationMs: 10 },
        {
          id: "cases/b<&>.sql",
          status: "failed",
          reason: 'expected "x" got \u0001"y"',
          durationMs: 20,
          expected: "x",
          actual: "y",
        },
        {
          id: "c.sql",
          status: "skipped",
          reason: "reference crashed",
          durationMs: 0,
        },
      ]),
    );
    expect(text).toContain('tests="3" failures="1" errors="0" skipped="1"');
    expect(text).toContain(
      '<testcase classname="cases" name="cases/b&lt;&amp;&gt;.sql" time="0.020">',
    );
    expect(text).toContain(
      '<failure message="expected &quot;x&quot; got &quot;y&quot;" type="oracle">--- expected\nx\n--- actual\ny</failure>',
    );
    expect(text).toContain('<skipped message="reference crashed"/>');
    expect(xml("\u0000a\u001fb")).toBe("ab");
  });
});

describe("renderLineDiff", () => {
  it("shows removed and added lines with context", () => {
    const expected = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"].join(
      "\n",
    );
    const actual = ["1", "2", "3", "4", "five", "6", "7", "8", "9", "10"].join(
      "\n",
    );
    expect(renderLineDiff(expected, actual, 1)).toBe(
      ["--- expected", "+++ actual", " 4", "-5", "+five", " 6"].join("\n"),
    );
  });

  it("separates distant hunks", () => {
    const expected = Array.from({ length: 20 }, (_, i) => String(i)).join("\n");
    const actual = expected.replace(/^1$/m, "one").replace(/^18$/m, "eighteen");
    const diff = renderLineDiff(expected, actual, 1).split("\n");
    expect(diff).toContain("@@");
    expect(diff.filter((l) => l.startsWith("-"))).toEqual([
      "--- expected",
      "-1",
      "-18",
    ]);
  });
});
