/**
 * Issue 19 item 6, the pure parts: how a run's end maps to its exit code (README's CLI contract),
 * and how a detached start (nohup, setsid) is read from /proc text.
 */
import { describe, expect, it } from "vitest";
import {
  runExitCode,
  StopRequest,
} from "../../../runner/swarm/run-exit-code.js";
import { startedDetached } from "../../../runner/cli/process-io.js";

const none = { blocked: [], open: [] };

describe("the run's exit code", () => {
  it("is 0 only when every task is done", () => {
    expect(runExitCode("finished", none)).toBe(0);
    expect(runExitCode("finished", { blocked: ["t1"], open: [] })).toBe(1);
    expect(runExitCode("failed", { blocked: [], open: ["t2"] })).toBe(1);
  });

  it("is 4 when a limit the user set ended the run with tasks left, else 0", () => {
    expect(runExitCode("max-tasks", { blocked: [], open: ["t3"] })).toBe(4);
    expect(runExitCode("budget", { blocked: ["t1"], open: [] })).toBe(4);
    expect(runExitCode("max-tasks", none)).toBe(0);
  });

  it("is the signal's code when stopped: 130 SIGINT, 143 SIGTERM, 129 SIGHUP", () => {
    expect(runExitCode("stopped", none, new StopRequest("SIGTERM", 143))).toBe(
      143,
    );
    expect(runExitCode("stopped", none, new StopRequest("SIGHUP", 129))).toBe(
      129,
    );
    // An abort without a StopRequest (a library caller's own signal) reads as Ctrl-C.
    expect(runExitCode("stopped", none, new Error("abort"))).toBe(130);
  });
});

describe("a detached start", () => {
  const status = (sigIgn: string) =>
    `Name:\tnode\nSigBlk:\t0000000000000000\nSigIgn:\t${sigIgn}\nSigCgt:\t0000000188004a02\n`;
  const stat = (pid: number, session: number) =>
    `${pid} (node (tsx) x) S 100 ${pid} ${session} 34816 ${pid} 4194560 1 2`;

  it("is nohup (SIGHUP ignored) or setsid (session leader)", () => {
    expect(
      startedDetached(status("0000000000000001"), stat(50, 7), 50),
    ).toEqual({ detached: true, hangupIgnored: true });
    expect(
      startedDetached(status("0000000000001000"), stat(50, 50), 50),
    ).toEqual({ detached: true, hangupIgnored: false });
    expect(
      startedDetached(status("0000000000001000"), stat(50, 7), 50),
    ).toEqual({ detached: false, hangupIgnored: false });
  });

  it("is never assumed where /proc cannot be read", () => {
    expect(startedDetached("", "", 50)).toEqual({
      detached: false,
      hangupIgnored: false,
    });
  });
});
