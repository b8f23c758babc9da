import { describe, expect, it } from "vitest";
import { decodeStrict, judgeCandidate } from "../../oracle/compare/verdict.js";
import type { CommandOutcome } from "../../oracle/types.js";

const enc = (text: string) => new TextEncoder().encode(text);
const outcome = (fields: Partial<CommandOutcome>): CommandOutcome => ({
  exitCode: 0,
  signal: null,
  stdout: enc(""),
  stderrTail: "",
  timedOut: false,
  overflowed: false,
  aborted: false,
  durationMs: 1,
  ...fields,
});
const options = {
  kinds: ["exact"] as const,
  tolerance: 1e-9,
  normalise: [],
  checkExitCode: true,
  timeoutMs: 10_000,
  maxOutputBytes: 16 * 1024 * 1024,
};

describe("judgeCandidate", () => {
  it("passes equal output and exit code", () => {
    expect(
      judgeCandidate(
        { stdout: enc("1\n"), exitCode: 0 },
        outcome({ stdout: enc("1\n") }),
        options,
      ),
    ).toEqual({
      status: "passed",
    });
  });

  it("names a timeout, a flood and a crash before anything else", () => {
    expect(
      judgeCandidate(
        { stdout: enc("") },
        outcome({ timedOut: true, exitCode: null, signal: "SIGTERM" }),
        options,
      ),
    ).toMatchObject({ reason: "timed out after 10s (process group killed)" });
    expect(
      judgeCandidate(
        { stdout: enc("") },
        outcome({ overflowed: true }),
        options,
      ),
    ).toMatchObject({
      reason: "output exceeded 16 MiB (process group killed)",
    });
    expect(
      judgeCandidate(
        { stdout: enc("") },
        outcome({ signal: "SIGSEGV", exitCode: null, stderrTail: "boom" }),
        options,
      ),
    ).toMatchObject({
      reason: 'crashed: killed by SIGSEGV (stderr: "boom")',
    });
  });

  it("reports an output difference before an exit-code difference, and an exit code alone", () => {
    expect(
      judgeCandidate(
        { stdout: enc("1\n"), exitCode: 0 },
        outcome({ stdout: enc("2\n"), exitCode: 3 }),
        options,
      ),
    ).toMatchObject({
      status: "failed",
      reason: 'line 1: expected "1" got "2"',
      expected: "1\n",
      actual: "2\n",
    });
    expect(
      judgeCandidate(
        { stdout: enc("1\n"), exitCode: 0 },
        outcome({ stdout: enc("1\n"), exitCode: 3 }),
        options,
      ),
    ).toMatchObject({ reason: "exit code 3, expected 0" });
    expect(
      judgeCandidate(
        { stdout: enc("1\n"), exitCode: 0 },
        outcome({ stdout: enc("1\n"), exitCode: 3 }),
        {
          ...options,
          checkExitCode: false,
        },
      ),
    ).toEqual({ status: "passed" });
    expect(
      judgeCandidate(
        { stdout: enc("1\n") },
        outcome({ stdout: enc("1\n"), exitCode: 3 }),
        options,
      ),
    ).toEqual({
      status: "passed",
    });
  });

  it("fails invalid UTF-8 with the offset of the first bad byte, unless byte-identical", () => {
    const bad = new Uint8Array([0x61, 0x62, 0xff, 0x63]);
    expect(
      judgeCandidate({ stdout: enc("abc") }, outcome({ stdout: bad }), options),
    ).toMatchObject({
      reason: "output is not valid UTF-8 (first bad byte at offset 2)",
    });
    expect(
      judgeCandidate({ stdout: bad }, outcome({ stdout: bad }), options),
    ).toEqual({ status: "passed" });
    expect(decodeStrict(new Uint8Array([0xe2, 0x82]))).toEqual({
      ok: false,
      offset: 0,
    });
    expect(decodeStrict(enc("é"))).toEqual({ ok: true, text: "é" });
  });
});
