/**
 * The pure decision "did the cleanup strictly improve?": the code detectors' figures after the
 * cleanup against before it. Strict: the target's kind must go down (for duplicated code, the
 * clone count or the duplicated lines), no count or line figure may go up, and no finding may
 * appear that was not there before.
 */
import {
  CodeKinds,
  countFindings,
  fingerprint,
  type Figures,
  type Finding,
} from "./findings.js";

/** The verdict, with the figures the landing commit records. */
export type CleanupVerdict =
  | { ok: true; before: Figures; after: Figures }
  | { ok: false; reason: string; before: Figures; after: Figures };

/** Kinds judged: code findings and whatever the project's own detectors report. */
export function isJudged(finding: Finding): boolean {
  return CodeKinds.has(finding.kind) || finding.detector !== undefined;
}

/** Judges a cleanup of `target` by the code findings before and after it. Pure. */
export function judgeCleanup(
  beforeAll: readonly Finding[],
  afterAll: readonly Finding[],
  target: Finding,
): CleanupVerdict {
  const before = beforeAll.filter(isJudged);
  const after = afterAll.filter(isJudged);
  const figures = {
    before: countFindings(before),
    after: countFindings(after),
  };
  const known = new Set(before.map(fingerprint));
  const added = after.filter((f) => !known.has(fingerprint(f)));
  if (added.length > 0) {
    const names = added.slice(0, 3).map((f) => `${f.kind}: ${f.detail}`);
    return {
      ok: false,
      reason: `the cleanup added ${added.length} finding(s): ${names.join("; ")}`,
      ...figures,
    };
  }
  const kinds = new Set([
    ...Object.keys(figures.before.counts),
    ...Object.keys(figures.after.counts),
  ]);
  for (const kind of kinds) {
    const was = figures.before.counts[kind] ?? 0;
    const now = figures.after.counts[kind] ?? 0;
    if (now > was)
      return {
        ok: false,
        reason: `${kind} went up from ${was} to ${now}`,
        ...figures,
      };
  }
  if (figures.after.duplicatedLines > figures.before.duplicatedLines)
    return {
      ok: false,
      reason: `duplicated lines went up from ${figures.before.duplicatedLines} to ${figures.after.duplicatedLines}`,
      ...figures,
    };
  const kind = target.kind;
  const fewer =
    (figures.after.counts[kind] ?? 0) < (figures.before.counts[kind] ?? 0);
  const fewerLines =
    kind === "duplicate-code" &&
    figures.after.duplicatedLines < figures.before.duplicatedLines;
  if (!fewer && !fewerLines)
    return {
      ok: false,
      reason: `${kind} did not improve (${figures.before.counts[kind] ?? 0} before, ${figures.after.counts[kind] ?? 0} after${kind === "duplicate-code" ? `; ${figures.before.duplicatedLines} duplicated lines before, ${figures.after.duplicatedLines} after` : ""})`,
      ...figures,
    };
  return { ok: true, ...figures };
}

/**
 * Figures as a trailer value, `duplicate-code=2 unused-export=1 duplicated-lines=56`, listing
 * every kind in `kinds` too (at 0 when gone), so before and after name the same figures. Pure.
 */
export function formatFigures(
  figures: Figures,
  kinds: Iterable<string> = [],
): string {
  const all = new Set([...Object.keys(figures.counts), ...kinds]);
  const counts = [...all].sort().map((k) => `${k}=${figures.counts[k] ?? 0}`);
  return [...counts, `duplicated-lines=${figures.duplicatedLines}`].join(" ");
}
