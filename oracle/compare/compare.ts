/**
 * Comparators: pure functions deciding whether a candidate's output matches the expected one and,
 * when not, saying why in one short line. Kinds combine: `whitespace` normalises each line,
 * `unordered` compares lines as a multiset, `numeric` compares numbers with a tolerance.
 */
import type { ComparatorKind } from "../config.js";

/** The outcome of a comparison: equal, or a one-line reason naming the first difference. */
export type Comparison = { equal: true } | { equal: false; reason: string };

/** How to compare: the comparator kinds and the numeric tolerance (relative and absolute). */
export interface CompareOptions {
  kinds: readonly ComparatorKind[];
  tolerance: number;
}

const EXCERPT = 60;

/** Compares `actual` with `expected` under the given comparators. */
export function compareOutputs(
  expected: string,
  actual: string,
  options: CompareOptions,
): Comparison {
  const kinds = new Set(options.kinds);
  if (kinds.size === 1 && kinds.has("exact"))
    return compareExact(expected, actual);
  let want = toLines(expected, kinds.has("whitespace"));
  let got = toLines(actual, kinds.has("whitespace"));
  const equalLine = kinds.has("numeric")
    ? (a: string, b: string) => numericallyEqual(a, b, options.tolerance)
    : (a: string, b: string) => a === b;
  if (kinds.has("unordered")) {
    want = [...want].sort();
    got = [...got].sort();
    const index = firstDifference(want, got, equalLine);
    if (index === -1) return { equal: true };
    return { equal: false, reason: unorderedReason(want, got) };
  }
  const index = firstDifference(want, got, equalLine);
  if (index === -1) return { equal: true };
  return { equal: false, reason: lineReason(index, want[index], got[index]) };
}

/** Shortens text for a one-line reason, showing invisible characters as JSON escapes. */
export function excerpt(text: string | undefined, max = EXCERPT): string {
  if (text === undefined) return "<end of output>";
  const quoted = JSON.stringify(text);
  return quoted.length <= max ? quoted : `${quoted.slice(0, max - 4)}..."`;
}

function compareExact(expected: string, actual: string): Comparison {
  if (expected === actual) return { equal: true };
  const want = expected.split("\n");
  const got = actual.split("\n");
  const index = firstDifference(want, got, (a, b) => a === b);
  if (index === -1) return { equal: false, reason: "outputs differ" };
  return { equal: false, reason: lineReason(index, want[index], got[index]) };
}

function toLines(text: string, normaliseWhitespace: boolean): string[] {
  let lines = text.split(/\r?\n/);
  if (normaliseWhitespace)
    lines = lines.map((line) => line.trim().replace(/\s+/g, " "));
  // A trailing newline (or, with whitespace, trailing blank lines) is not a difference.
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (normaliseWhitespace)
    while (lines.length > 0 && lines[0] === "") lines.shift();
  return lines;
}

function firstDifference(
  want: string[],
  got: string[],
  equal: (a: string, b: string) => boolean,
): number {
  const length = Math.max(want.length, got.length);
  for (let i = 0; i < length; i += 1) {
    const a = want[i];
    const b = got[i];
    if (a === undefined || b === undefined || !equal(a, b)) return i;
  }
  return -1;
}

function lineReason(
  index: number,
  want: string | undefined,
  got: string | undefined,
): string {
  return `line ${index + 1}: expected ${excerpt(want)} got ${excerpt(got)}`;
}

function unorderedReason(want: string[], got: string[]): string {
  const missing = multisetMinus(want, got);
  const extra = multisetMinus(got, want);
  const parts: string[] = [];
  if (missing.length > 0)
    parts.push(
      `${missing.length} expected line(s) missing, e.g. ${excerpt(missing[0])}`,
    );
  if (extra.length > 0)
    parts.push(`${extra.length} unexpected line(s), e.g. ${excerpt(extra[0])}`);
  // Same multiset but a numeric difference: report it positionally on the sorted lines.
  return parts.length > 0
    ? parts.join("; ")
    : "lines differ beyond the numeric tolerance";
}

function multisetMinus(a: string[], b: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
  const rest: string[] = [];
  for (const line of a) {
    const count = counts.get(line) ?? 0;
    if (count > 0) counts.set(line, count - 1);
    else rest.push(line);
  }
  return rest;
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

/** Two lines are numerically equal when their non-number text is identical and numbers are within tolerance. */
export function numericallyEqual(
  a: string,
  b: string,
  tolerance: number,
): boolean {
  if (a === b) return true;
  if (a.replace(NUMBER, "#") !== b.replace(NUMBER, "#")) return false;
  const xs = a.match(NUMBER) ?? [];
  const ys = b.match(NUMBER) ?? [];
  return xs.every((x, i) => {
    const p = Number(x);
    const q = Number(ys[i]);
    const scale = Math.max(Math.abs(p), Math.abs(q));
    return p === q || Math.abs(p - q) <= Math.max(tolerance, tolerance * scale);
  });
}
