/**
 * Issue 15: a lease outside 1s..30d given on the command line is bad usage (exit 2) that names the
 * range — never a claim breakable at once, never an internal error — and the hub does not move.
 */
import { afterAll, describe, expect, it } from "vitest";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../support/swarm-fixture.js";
import { GITSWARM_BIN } from "./support/cli-run.js";

const PROGRESS = "# Progress\n\n## Tasks\n\n- [ ] t000: First\n";

describe("--lease on the command line", () => {
  const fixtures: SwarmFixture[] = [];
  afterAll(() => Promise.all(fixtures.map((f) => f.cleanup())));

  it.each([
    ["0.4ms", /--lease '0\.4ms' is not a duration/],
    ["0.0001s", /--lease '0\.0001s' is not a duration/],
    ["500ms", /--lease '500ms' is outside the allowed lease range 1s\.\.30d/],
    ["99999999999d", /--lease '99999999999d' is not a duration/],
    ["9007199254740993ms", /--lease '9007199254740993ms' is not a duration/],
    ["31d", /outside the allowed lease range 1s\.\.30d/],
  ])("claim --lease %s: exit 2, nothing claimed", async (lease, message) => {
    const swarm = await createSwarmFixture({ "PROGRESS.md": PROGRESS });
    fixtures.push(swarm);
    const ws = await swarm.clone("alice");
    const refs = () =>
      swarm.hub.run(["for-each-ref", "--format=%(refname) %(objectname)"]);
    const before = await refs();
    const run = await runProcess(
      process.execPath,
      [GITSWARM_BIN, "claim", "t000", "--as", "alice", "--lease", lease],
      { cwd: ws.dir, timeoutMs: 90_000 },
    );
    expect(run.exitCode, decode(run.stderr)).toBe(2);
    expect(decode(run.stderr)).toMatch(message);
    expect(await refs()).toBe(before);
  });
});
