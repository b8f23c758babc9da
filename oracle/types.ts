/** The plain data the oracle produces: one result per case and the report over a run. */

/** A case's verdict. `skipped`: not judged (the reference itself failed, or the run was aborted). */
export type CaseStatus = "passed" | "failed" | "skipped";

/** Where a case's expected output came from. */
export type ExpectedSource = "expect-file" | "recording" | "reference";

/** The result of one case; `id` is the case path relative to the repository (POSIX separators). */
export interface CaseResult {
  id: string;
  status: CaseStatus;
  /** One line saying why a case failed or was skipped. */
  reason?: string;
  durationMs: number;
  source?: ExpectedSource;
  /** The candidate's outcome came from the result cache. */
  cached?: boolean;
  /** For failures: both outputs after normalisation, each cut to a few KiB. */
  expected?: string;
  actual?: string;
}

/** The result of an oracle run. Counts always equal the tallies of `cases`. */
export interface OracleReport {
  cases: CaseResult[];
  passed: number;
  failed: number;
  skipped: number;
  /** Cases matched by the globs before sampling. */
  total: number;
  /** Present when only a sample ran. */
  sample?: { fraction: number; seed: string };
  jobs: number;
  durationMs: number;
  /** Cases whose recording was stale (case or reference changed) and the live reference ran. */
  staleRecordings: string[];
}

/** What running one command for one case gave (from a live run or the cache). */
export interface CommandOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: Uint8Array;
  /** The last few lines of stderr, for reasons; never compared. */
  stderrTail: string;
  timedOut: boolean;
  overflowed: boolean;
  aborted: boolean;
  durationMs: number;
}
