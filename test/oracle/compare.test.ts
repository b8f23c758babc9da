import { describe, expect, it } from "vitest";
import {
  compareOutputs,
  numericallyEqual,
} from "../../oracle/compare/compare.js";
import { applyNormalisers } from "../../oracle/compare/normalise.js";
import { settingsForCase } from "../../oracle/overrides.js";
import { oracleConfigSchema } from "../../oracle/config.js";

const opts = (
  ...kinds: ("exact" | "whitespace" | "unordered" | "numeric")[]
) => ({ kinds, tolerance: 1e-9 });

describe("compareOutputs", () => {
  it("exact: equal strings pass, the first differing line is named", () => {
    expect(compareOutputs("a\nb\n", "a\nb\n", opts("exact"))).toEqual({
      equal: true,
    });
    expect(compareOutputs("a\nb\nc\n", "a\nB\nc\n", opts("exact"))).toEqual({
      equal: false,
      reason: 'line 2: expected "b" got "B"',
    });
    expect(compareOutputs("a\n", "a", opts("exact"))).toMatchObject({
      equal: false,
    });
    expect(compareOutputs("a\nb\n", "a\n", opts("exact"))).toEqual({
      equal: false,
      reason: 'line 2: expected "b" got ""',
    });
  });

  it("exact: truncates long lines in the reason", () => {
    const result = compareOutputs(
      "x".repeat(500),
      "y".repeat(500),
      opts("exact"),
    );
    expect(result.equal).toBe(false);
    if (!result.equal) expect(result.reason.length).toBeLessThan(150);
  });

  it("whitespace: collapses runs, trims lines and ignores trailing blank lines", () => {
    expect(
      compareOutputs("a  b\n c\n", "a b\nc   \n\n\n", opts("whitespace")),
    ).toEqual({ equal: true });
    expect(compareOutputs("a b\n", "ab\n", opts("whitespace"))).toMatchObject({
      equal: false,
    });
  });

  it("unordered: compares lines as a multiset and names missing and unexpected lines", () => {
    expect(
      compareOutputs("1|a\n2|b\n", "2|b\n1|a\n", opts("unordered")),
    ).toEqual({ equal: true });
    expect(compareOutputs("1\n1\n2\n", "1\n2\n2\n", opts("unordered"))).toEqual(
      {
        equal: false,
        reason:
          '1 expected line(s) missing, e.g. "1"; 1 unexpected line(s), e.g. "2"',
      },
    );
    expect(compareOutputs("1\n2\n", "2\n1\n", opts("exact"))).toMatchObject({
      equal: false,
    });
  });

  it("numeric: numbers within tolerance are equal, text must match", () => {
    const numeric = { kinds: ["numeric"] as const, tolerance: 1e-6 };
    expect(
      compareOutputs(
        "x=0.3|1e20\n",
        "x=0.30000000000000004|1.0e+20\n",
        numeric,
      ),
    ).toEqual({ equal: true });
    expect(compareOutputs("x=0.3\n", "x=0.31\n", numeric)).toMatchObject({
      equal: false,
      reason: 'line 1: expected "x=0.3" got "x=0.31"',
    });
    expect(compareOutputs("x=0.3\n", "y=0.3\n", numeric)).toMatchObject({
      equal: false,
    });
    expect(numericallyEqual("1|2", "1|2|3", 1e-9)).toBe(false);
    expect(numericallyEqual("1000000.0000001", "1000000", 1e-9)).toBe(true);
    expect(numericallyEqual("0.0000001", "0", 1e-9)).toBe(false);
  });

  it("kinds combine: unordered + numeric", () => {
    const both = { kinds: ["unordered", "numeric"] as const, tolerance: 1e-6 };
    expect(
      compareOutputs("b|0.5\na|1.0\n", "a|1.0000000001\nb|0.5\n", both),
    ).toEqual({ equal: true });
    expect(
      compareOutputs("b|0.5\na|1.0\n", "a|2\nb|0.5\n", both),
    ).toMatchObject({ equal: false });
  });
});

describe("normalisers and per-case overrides", () => {
  it("applies regex replacements in order", () => {
    const text =
      "Parse error near line 3: no such table: t\n  SELECT * FROM t;\n                ^--- error here\nnext\n";
    const out = applyNormalisers(text, [
      { pattern: "^  .*\\n *\\^--- error here\\n", replace: "", flags: "gm" },
    ]);
    expect(out).toBe("Parse error near line 3: no such table: t\nnext\n");
    expect(
      applyNormalisers("id=123 id=456", [
        { pattern: "id=\\d+", replace: "id=N", flags: "g" },
      ]),
    ).toBe("id=N id=N");
  });

  it("the first override whose glob matches wins, adding its normalisers", () => {
    const config = oracleConfigSchema.parse({
      compare: "exact",
      normalise: [{ pattern: "a", replace: "b" }],
      overrides: [
        {
          cases: "cases/*-unordered.sql",
          compare: "unordered",
          normalise: [{ pattern: "c", replace: "d" }],
        },
        { cases: ["cases/*.sql"], compare: ["numeric"], tolerance: 0.5 },
      ],
    });
    const unordered = settingsForCase(config, "cases/001-x-unordered.sql");
    expect(unordered.kinds).toEqual(["unordered"]);
    expect(unordered.normalise.map((n) => n.pattern)).toEqual(["a", "c"]);
    expect(settingsForCase(config, "cases/002.sql")).toMatchObject({
      kinds: ["numeric"],
      tolerance: 0.5,
    });
    expect(settingsForCase(config, "other/003.sql")).toMatchObject({
      kinds: ["exact"],
      tolerance: 1e-9,
    });
  });
});
