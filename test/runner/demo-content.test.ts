import { describe, expect, it } from "vitest";
import { parseConfig } from "../../runner/config.js";
import {
  demoBaseline,
  demoConfig,
  keepsExamplePath,
  parseCaseList,
  trimManifest,
} from "../../runner/demo-content.js";

const kept = new Set(["cases/001-a.sql", "cases/259-shell-mode-csv.sql"]);

describe("demo content (pure)", () => {
  it("reads the case list, skipping comments and blank lines", () => {
    expect(
      parseCaseList("# why\n001-a.sql\n\n  259-shell-mode-csv.sql \n"),
    ).toEqual([...kept]);
  });

  it("copies no caches or modules, and of cases, expect files and recordings only the kept ones", () => {
    expect(keepsExamplePath(".gitswarm/oracle-cache/00/x", kept)).toBe(false);
    expect(keepsExamplePath("node_modules", kept)).toBe(false);
    expect(keepsExamplePath("cases/001-a.sql", kept)).toBe(true);
    expect(keepsExamplePath("cases/002-b.sql", kept)).toBe(false);
    expect(keepsExamplePath("cases/002-b.sql.expected", kept)).toBe(false);
    expect(keepsExamplePath("oracle/expected/cases/001-a.sql.out", kept)).toBe(
      true,
    );
    expect(keepsExamplePath("oracle/expected/cases/002-b.sql.out", kept)).toBe(
      false,
    );
    expect(keepsExamplePath("oracle/expected/manifest.json", kept)).toBe(true);
    expect(keepsExamplePath("candidate/features/README.md", kept)).toBe(true);
  });

  it("gives the config a short lease and a faster-starting candidate, and stays valid", () => {
    const example =
      "oracle:\n  cases: cases/*.sql\n  candidate: 'node candidate/run.mjs {case} 2>&1'\n";
    const text = demoConfig(example);
    expect(parseConfig(text).lease).toBe(10_000);
    expect(text).toContain(
      "candidate: 'node --liftoff-only candidate/run.mjs {case} 2>&1'",
    );
    expect(() => demoConfig("oracle:\n  candidate: ./other\n")).toThrow(
      /demoConfig/,
    );
  });

  it("trims the recording manifest and the baseline to the kept cases, without the open tasks", () => {
    const manifest = JSON.stringify({
      version: 1,
      reference: "sqlite3",
      cases: { "cases/001-a.sql": {}, "cases/9.sql": {} },
    });
    expect(JSON.parse(trimManifest(manifest, kept))).toEqual({
      version: 1,
      reference: "sqlite3",
      cases: { "cases/001-a.sql": {} },
    });
    const baseline = {
      version: 1 as const,
      passing: [
        "cases/9.sql",
        "cases/259-shell-mode-csv.sql",
        "cases/001-a.sql",
      ],
    };
    expect(
      demoBaseline(baseline, kept, ["cases/259-shell-mode-csv.sql"]).passing,
    ).toEqual(["cases/001-a.sql"]);
  });
});
