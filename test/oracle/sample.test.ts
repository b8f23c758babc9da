import { describe, expect, it } from "vitest";
import { parseSampleFraction, sampleCaseIds } from "../../oracle/sample.js";

const corpus = Array.from(
  { length: 264 },
  (_, i) => `cases/${String(i + 1).padStart(3, "0")}.sql`,
);

describe("sampling", () => {
  it("parses fractions", () => {
    expect(parseSampleFraction("10%")).toBe(0.1);
    expect(parseSampleFraction("0.25")).toBe(0.25);
    expect(parseSampleFraction("50")).toBe(0.5);
    expect(parseSampleFraction("1")).toBe(1);
    for (const bad of ["0%", "-5%", "ten", "150%", ""])
      expect(parseSampleFraction(bad)).toBeUndefined();
  });

  it("the same seed gives the same subset of the exact size", () => {
    const a = sampleCaseIds(corpus, { fraction: 0.1, seed: "agent-1" });
    const b = sampleCaseIds([...corpus].reverse(), {
      fraction: 0.1,
      seed: "agent-1",
    });
    expect(a.size).toBe(27);
    expect([...a].sort()).toEqual([...b].sort());
  });

  it("different seeds cover different cases; 10 seeds at 10% cover most of the corpus", () => {
    const samples = Array.from({ length: 10 }, (_, i) =>
      sampleCaseIds(corpus, { fraction: 0.1, seed: `agent-${i + 1}` }),
    );
    const [first, second] = samples as [Set<string>, Set<string>];
    expect([...first].filter((id) => second.has(id)).length).toBeLessThan(
      first.size / 2,
    );
    const union = new Set(samples.flatMap((s) => [...s]));
    // Independent seeds: expected coverage 1 - 0.9^10 = 65%.
    expect(union.size / corpus.length).toBeGreaterThan(0.55);
  });

  it("adding a case changes a subset by at most one case", () => {
    const before = sampleCaseIds(corpus, { fraction: 0.1, seed: "s" });
    const after = sampleCaseIds([...corpus, "cases/new.sql"], {
      fraction: 0.1,
      seed: "s",
    });
    const changed = [...before].filter((id) => !after.has(id)).length;
    expect(changed).toBeLessThanOrEqual(1);
  });
});
