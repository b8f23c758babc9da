/**
 * Issue 19 item 5 (in part): `status` and `locks` said a malformed lock was a problem of "the hub's
 * main" when it sits on a task ref. A problem with a ref is reported under the task refs, naming
 * the ref; one on main is still reported as main's.
 */
import { describe, expect, it } from "vitest";
import { reportHubProblems } from "../../../runner/cli/hub-problems.js";
import type { CommandIo } from "../../../runner/cli/command.js";

function io(): { io: CommandIo; err: () => string } {
  let err = "";
  return {
    io: {
      cwd: "/",
      env: {},
      stdout: () => undefined,
      stderr: (text) => (err += text),
      isTty: false,
      signal: new AbortController().signal,
    },
    err: () => err,
  };
}

describe("hub problems", () => {
  it("names the task ref of a malformed lock, and keeps main's problems as main's", () => {
    const out = io();
    const code = reportHubProblems(out.io, "status", [
      {
        file: "locks/t1.md",
        ref: "refs/swarm/tasks/t1",
        line: 1,
        message: "not a lock file",
      },
      { file: "PROGRESS.md", line: 7, message: "duplicate task id 't2'" },
    ]);
    expect(code).toBe(2);
    expect(out.err()).toMatch(
      /1 task ref\(s\) on the hub hold a malformed lock or marker:\n {2}refs\/swarm\/tasks\/t1 locks\/t1\.md:1: not a lock file/,
    );
    expect(out.err()).toMatch(
      /the hub's main has 1 problem\(s\):\n {2}PROGRESS\.md:7: duplicate task id 't2'\n/,
    );
    expect(out.err()).not.toMatch(/main has 2/);
  });
});
