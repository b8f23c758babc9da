/**
 * What the coalescer finds: one value shape for every detector (duplicated code, unused code,
 * coordination and documentation drift, a project's own detectors), with stable `kind`s that
 * README.md documents, and the figures a cleanup must strictly improve.
 */

/** The kinds gitswarm's own detectors report; a configured detector may add its own. */
export const FindingKinds = [
  "duplicate-code",
  "unused-file",
  "unused-export",
  "unused-dependency",
  "stale-work-branch",
  "state-mismatch",
  "unarchived-done",
  "notes-bloat",
  "repeated-note",
  "doc-missing-path",
  "doc-missing-command",
] as const;
/** One of {@link FindingKinds}, or a configured detector's own kind. */
export type FindingKind = (typeof FindingKinds)[number] | (string & {});

/** Kinds an agent may clean up (code); the others are fixed deterministically or only reported. */
export const CodeKinds: ReadonlySet<string> = new Set([
  "duplicate-code",
  "unused-file",
  "unused-export",
  "unused-dependency",
]);

/** One finding, as `gitswarm coalesce --json` prints it. */
export interface Finding {
  kind: FindingKind;
  /** Repository-relative paths the finding is about. */
  files?: string[];
  /** The task it is about (coordination drift). */
  task?: string;
  /** Line ranges, `path:start-end`, one per file where the detector gives them. */
  lines?: string[];
  /** What was found, for a human. */
  detail: string;
  /** What would fix it. */
  fix: string;
  /** The configured detector that reported it (absent for gitswarm's own). */
  detector?: string;
  /** Lines involved (duplicated lines of a clone pair); a figure cleanups must not raise. */
  size?: number;
}

/** Counts per kind and duplicated lines: the figures a cleanup must strictly improve. */
export interface Figures {
  counts: Record<string, number>;
  duplicatedLines: number;
}

/** The figures of a list of findings. Pure. */
export function countFindings(findings: readonly Finding[]): Figures {
  const counts: Record<string, number> = {};
  let duplicatedLines = 0;
  for (const f of findings) {
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    if (f.kind === "duplicate-code") duplicatedLines += f.size ?? 0;
  }
  return { counts, duplicatedLines };
}

/**
 * A finding's identity across runs: kind, detector, task, files and detail — but not a clone's
 * line numbers, which move whenever code above them changes (a configured detector should keep
 * line numbers in `lines`, not in `detail`). Two findings with one fingerprint are "the same".
 */
export function fingerprint(finding: Finding): string {
  const files = [...(finding.files ?? [])].sort().join("|");
  return [
    finding.kind,
    finding.detector ?? "",
    finding.task ?? "",
    files,
    finding.kind === "duplicate-code" ? "" : finding.detail,
  ].join("\u0000");
}

/** Findings sorted by kind (in {@link FindingKinds} order, then by name), files, task. Pure. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (kind: string) => {
    const i = (FindingKinds as readonly string[]).indexOf(kind);
    return i < 0 ? FindingKinds.length : i;
  };
  return [...findings].sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      a.kind.localeCompare(b.kind) ||
      (a.files ?? []).join().localeCompare((b.files ?? []).join()) ||
      (a.task ?? "").localeCompare(b.task ?? "") ||
      a.detail.localeCompare(b.detail),
  );
}

/** `kind: count` pairs in kind order, e.g. `duplicate-code: 2, unarchived-done: 1`. Pure. */
export function formatCounts(figures: Figures): string {
  const parts = Object.entries(figures.counts).map(([k, n]) => `${k}: ${n}`);
  return parts.length === 0 ? "no findings" : parts.join(", ");
}
