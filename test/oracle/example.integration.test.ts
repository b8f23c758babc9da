import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listCaseIds } from "../../oracle/cases.js";
import type { OracleReport } from "../../oracle/index.js";
import { readBaseline } from "../../oracle/ratchet.js";
import { readRecording } from "../../oracle/reference/recording.js";
import { runCli } from "./fixture.js";

const example = path.resolve(import.meta.dirname, "../../oracle/examples/sql");

describe("the shipped example (sqlite3 vs a sql.js candidate)", () => {
  it("has at least 200 cases, a fresh recording of every case and a baseline", async () => {
    const ids = await listCaseIds(example, ["cases/*.sql"], ".expected");
    expect(ids.length).toBeGreaterThanOrEqual(200);
    const recording = await readRecording(example, "oracle/expected");
    expect(Object.keys(recording?.cases ?? {}).sort()).toEqual(ids);
    const baseline = await readBaseline(example);
    expect(baseline.passing.length).toBeGreaterThan(200);
    expect(baseline.passing.every((id) => ids.includes(id))).toBe(true);
    const progress = await readFile(path.join(example, "PROGRESS.md"), "utf8");
    expect(progress).toMatch(/^- \[ \] dot-mode-csv: /m);
  });

  it("runs a sample against the recording: summary ends with the counts, --json agrees, exit status follows failures", async () => {
    const args = [
      "oracle",
      "--repo",
      example,
      "--recording",
      "only",
      "--no-cache",
      "--sample",
      "3%",
      "--seed",
      "ci",
    ];
    const json = await runCli([...args, "--json"]);
    const report = JSON.parse(json.stdout) as OracleReport;
    expect(report.cases).toHaveLength(Math.ceil(report.total * 0.03));
    const baseline = new Set((await readBaseline(example)).passing);
    // Cases in the baseline pass; the others are the open tasks' cases and fail.
    for (const result of report.cases)
      expect([result.id, result.status]).toEqual([
        result.id,
        baseline.has(result.id) ? "passed" : "failed",
      ]);
    const text = await runCli(args);
    const last = text.stdout.trimEnd().split("\n").at(-1);
    expect(last).toBe(`${report.passed} passed, ${report.failed} failed`);
    expect(text.code).toBe(report.failed > 0 ? 1 : 0);
  });
});
