/**
 * Deciding, per case and before anything runs, where its expected output comes from: the
 * expected-output file next to it, a fresh recording, or the live reference. Pure; the problems
 * it finds (no source at all, a recording required but stale) are reported for all cases at once.
 */
import type { RecordingMode } from "./config.js";
import { recordingState, type Recording } from "./reference/recording.js";
import type { ExpectedSource } from "./types.js";

/** A case as planning needs it. */
export interface PlannableCase {
  id: string;
  sha256: string;
  hasExpectFile: boolean;
}

/** The plan: a source per case id, stale recordings seen, and the cases with no usable source. */
export interface ExpectedPlan {
  sources: Map<string, ExpectedSource>;
  stale: string[];
  unavailable: { id: string; why: "stale" | "missing" }[];
}

/** Plans expected-output sources for `cases` (pure). */
export function planExpected(
  cases: readonly PlannableCase[],
  recording: Recording | undefined,
  mode: RecordingMode,
  reference: string | undefined,
): ExpectedPlan {
  const plan: ExpectedPlan = { sources: new Map(), stale: [], unavailable: [] };
  for (const c of cases) {
    if (c.hasExpectFile) {
      plan.sources.set(c.id, "expect-file");
      continue;
    }
    const state =
      mode === "off"
        ? "missing"
        : recordingState(recording, c.id, c.sha256, reference);
    if (state === "stale") plan.stale.push(c.id);
    if (state === "fresh") plan.sources.set(c.id, "recording");
    else if (mode !== "only" && reference !== undefined)
      plan.sources.set(c.id, "reference");
    else
      plan.unavailable.push({
        id: c.id,
        why: state === "stale" ? "stale" : "missing",
      });
  }
  return plan;
}

/** The message for cases that have no expected output, with what to do about it. */
export function describeUnavailable(
  unavailable: ExpectedPlan["unavailable"],
  mode: RecordingMode,
  expectSuffix: string,
): string {
  const stale = unavailable.filter((u) => u.why === "stale").map((u) => u.id);
  const missing = unavailable
    .filter((u) => u.why === "missing")
    .map((u) => u.id);
  const list = (ids: string[]) =>
    ids.slice(0, 5).join(", ") +
    (ids.length > 5 ? `, ... (${ids.length} in all)` : "");
  const parts: string[] = [];
  if (stale.length > 0)
    parts.push(
      `${stale.length} case(s) changed since they were recorded (stale recording): ${list(stale)}`,
    );
  if (missing.length > 0)
    parts.push(
      `${missing.length} case(s) have no expected output: ${list(missing)}`,
    );
  const fix =
    mode === "only"
      ? "run 'gitswarm oracle record' where the reference is installed and commit the recording"
      : `set oracle.reference (or --reference CMD), add a '<case>${expectSuffix}' file, or run 'gitswarm oracle record'`;
  return `${parts.join("; ")}. To fix: ${fix}.`;
}
