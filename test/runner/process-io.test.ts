/**
 * The bound on a graceful stop (runner/cli/process-io.ts) is the time to push a last heartbeat plus
 * 30 s; it is written out there so `--help` need not load git. This keeps the two in step, and pins
 * how GITSWARM_STOP_BOUND_MS is read. The signals themselves are tested with real processes in
 * runner-stop.integration.test.ts.
 */
import { describe, expect, it } from "vitest";
import { NETWORK_TIMEOUT_MS } from "../../coordination/git/git.js";
import { STOP_BOUND_MS, stopBound } from "../../runner/cli/process-io.js";

describe("the graceful stop's bound", () => {
  it("leaves a last push its whole network timeout, plus 30 s", () => {
    expect(STOP_BOUND_MS).toBe(NETWORK_TIMEOUT_MS + 30_000);
  });

  it("takes GITSWARM_STOP_BOUND_MS when it is a positive whole number of ms", () => {
    expect(stopBound({ GITSWARM_STOP_BOUND_MS: "2500" }, 150_000)).toBe(2500);
    for (const bad of ["", "0", "-5", "1.5", "10s", "abc"])
      expect(stopBound({ GITSWARM_STOP_BOUND_MS: bad }, 150_000)).toBe(150_000);
    expect(stopBound({}, 150_000)).toBe(150_000);
  });
});
