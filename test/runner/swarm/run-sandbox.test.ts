/**
 * Issue 20: where bubblewrap is installed but cannot create its namespaces (a container's seccomp
 * profile, Ubuntu's AppArmor restriction), the probe says so with bwrap's own words and the fix,
 * proves it once per process, and a run is refused, never started unconfined, unless the user
 * opted in. The fake bwrap is a shell script that answers as a blocked bwrap does.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeSandbox } from "../../../coordination/base/sandbox/detect-sandbox.js";
import { sandboxForRun } from "../../../runner/swarm/run-sandbox.js";
import type { SwarmConfig } from "../../../runner/config.js";

const BLOCKED =
  "bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces.";

describe("a bwrap that cannot create namespaces", () => {
  let dir = "";
  let env: NodeJS.ProcessEnv = {};
  const settings: SwarmConfig["sandbox"] = {
    mode: "auto",
    network: "model",
    readOnly: [],
    readWrite: [],
    unavailable: "refuse",
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-blocked-bwrap-"));
    const bwrap = path.join(dir, "bwrap");
    await writeFile(
      bwrap,
      `#!/bin/sh\necho run >> "${dir}/calls"\necho "${BLOCKED}" >&2\nexit 1\n`,
    );
    await chmod(bwrap, 0o755);
    env = { PATH: dir, HOME: dir };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("is named with bwrap's own words and the fix, and proved only once", async () => {
    const first = await probeSandbox(settings, env);
    const again = await probeSandbox(settings, env);
    expect(first).toEqual(again);
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.reason).toBe(
      `bubblewrap cannot create its namespaces here (${BLOCKED})`,
    );
    expect(first.fix).toMatch(/kernel\.unprivileged_userns_clone=1/);
    expect(first.fix).toMatch(/`sandbox: off`/);
    expect(await readFile(path.join(dir, "calls"), "utf8")).toBe("run\n");
  });

  it("refuses the run with the fix, and runs unsandboxed only where the user opted in", async () => {
    await expect(sandboxForRun(dir, settings, env)).rejects.toMatchObject({
      code: "no-sandbox",
      message: expect.stringMatching(
        /^no sandbox for the agents: bubblewrap cannot create its namespaces here \(bwrap: No permissions[^]*To fix: allow unprivileged user namespaces[^]*`sandbox: off`/,
      ),
    });
    const optedIn = await sandboxForRun(
      dir,
      { ...settings, unavailable: "unsandboxed" },
      env,
    );
    expect(optedIn.plan).toMatchObject({ kind: "none" });
    expect(optedIn.description).toMatch(
      /^UNSANDBOXED \(bubblewrap cannot create its namespaces here .*running unsandboxed \(sandbox\.unavailable: unsandboxed\)\): agents' commands run unsandboxed: they can read every file/,
    );
  });
});
