/**
 * The oracle verdict for one case, as a pure function of the expected output, the candidate's
 * outcome and the comparison settings. The order of checks decides which reason a user sees:
 * timeouts, floods and crashes first, then output differences, then exit codes.
 */
import { constants } from "node:os";
import { formatDuration } from "../../coordination/base/duration.js";
import { compareOutputs, excerpt, type CompareOptions } from "./compare.js";
import { applyNormalisers, type Normaliser } from "./normalise.js";
import type { CommandOutcome } from "../types.js";

/** The expected side of a case: bytes, plus the reference's exit code when known. */
export interface Expected {
  stdout: Uint8Array;
  exitCode?: number | null;
}

/** Settings of the verdict (a subset of OracleConfig). */
export interface VerdictOptions extends CompareOptions {
  normalise: readonly Normaliser[];
  checkExitCode: boolean;
  timeoutMs: number;
  maxOutputBytes: number;
  /** How much of each output a failure keeps (default 4 KiB; Infinity for `oracle diff`). */
  detailChars?: number;
}

/** A verdict: passed, or failed with a one-line reason (and both texts when outputs differ). */
export type Verdict =
  | { status: "passed" }
  | { status: "failed"; reason: string; expected?: string; actual?: string };

const DETAIL_CHARS = 4096;

/** Judges a candidate outcome against the expected output. */
export function judgeCandidate(
  expected: Expected,
  outcome: CommandOutcome,
  options: VerdictOptions,
): Verdict {
  const broken = describeBrokenRun(outcome, options);
  if (broken !== undefined) return { status: "failed", reason: broken };
  // Under `sh -c` a program killed by a signal shows as exit status 128+N: a crash, unless the
  // reference ended the same way.
  const signal = signalOfExitCode(outcome.exitCode);
  if (signal !== undefined && outcome.exitCode !== expected.exitCode) {
    return {
      status: "failed",
      reason: `crashed: killed by ${signal}${stderrHint(outcome)}`,
    };
  }
  const want = decodeStrict(expected.stdout);
  const got = decodeStrict(outcome.stdout);
  if (!got.ok) {
    // Byte-identical output is a match even when neither side is UTF-8.
    if (Buffer.from(expected.stdout).equals(Buffer.from(outcome.stdout)))
      return { status: "passed" };
    return {
      status: "failed",
      reason: `output is not valid UTF-8 (first bad byte at offset ${got.offset})`,
    };
  }
  const wantText = applyNormalisers(
    want.ok ? want.text : Buffer.from(expected.stdout).toString("latin1"),
    options.normalise,
  );
  const gotText = applyNormalisers(got.text, options.normalise);
  const comparison = compareOutputs(wantText, gotText, options);
  // An output difference says more than an exit code, so it is reported first.
  if (comparison.equal) {
    const wantExit = expected.exitCode;
    if (
      !options.checkExitCode ||
      typeof wantExit !== "number" ||
      outcome.exitCode === wantExit
    )
      return { status: "passed" };
    return {
      status: "failed",
      reason: `exit code ${outcome.exitCode}, expected ${wantExit}${stderrHint(outcome)}`,
    };
  }
  const keep = options.detailChars ?? DETAIL_CHARS;
  return {
    status: "failed",
    reason: comparison.reason,
    expected: cut(wantText, keep),
    actual: cut(gotText, keep),
  };
}

/**
 * Says why a run produced no usable output (timeout, flood, crash, abort), or undefined when it
 * ran to completion. Used for the candidate and for the reference alike.
 */
export function describeBrokenRun(
  outcome: CommandOutcome,
  options: Pick<VerdictOptions, "timeoutMs" | "maxOutputBytes">,
): string | undefined {
  if (outcome.aborted) return "aborted";
  if (outcome.timedOut)
    return `timed out after ${formatDuration(options.timeoutMs)} (process group killed)`;
  if (outcome.overflowed)
    return `output exceeded ${formatBytes(options.maxOutputBytes)} (process group killed)`;
  if (outcome.signal !== null)
    return `crashed: killed by ${outcome.signal}${stderrHint(outcome)}`;
  return undefined;
}

/** Decodes UTF-8 strictly, reporting the offset of the first invalid byte. */
export function decodeStrict(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; offset: number } {
  try {
    return {
      ok: true,
      text: new TextDecoder("utf-8", { fatal: true }).decode(bytes),
    };
  } catch {
    return { ok: false, offset: firstInvalidOffset(bytes) };
  }
}

function firstInvalidOffset(bytes: Uint8Array): number {
  // Streaming decode accepts a sequence cut off at the end, so "this prefix decodes" is monotone
  // in its length and a binary search finds the longest valid prefix.
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = Math.floor((low + high + 1) / 2);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), {
        stream: true,
      });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  if (low < bytes.length) return low;
  // Every prefix decodes: the input ends inside a multi-byte sequence, which starts at its lead byte.
  let start = bytes.length - 1;
  while (start > 0 && ((bytes[start] as number) & 0xc0) === 0x80) start -= 1;
  return start;
}

/** The signal a shell exit status of 128+N stands for (SIGSEGV for 139), or undefined. */
export function signalOfExitCode(exitCode: number | null): string | undefined {
  if (exitCode === null || exitCode <= 128 || exitCode > 128 + 64)
    return undefined;
  const number = exitCode - 128;
  return Object.entries(constants.signals).find(
    ([, value]) => value === number,
  )?.[0];
}

function stderrHint(outcome: CommandOutcome): string {
  const line = outcome.stderrTail.split("\n").pop()?.trim();
  return line ? ` (stderr: ${excerpt(line)})` : "";
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round(bytes / (1024 * 1024))} MiB`
    : `${bytes} bytes`;
}

function cut(text: string, keep: number): string {
  return text.length <= keep
    ? text
    : `${text.slice(0, keep)}\n... (${text.length - keep} more characters)`;
}
