/**
 * The model bridge's endpoints as plain data (the bridge itself runs in confine.integration.test.ts),
 * and the sweep of bridge dirs left by processes that died without their exit hook.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  parseEndpoint,
  removeOrphanedBridges,
} from "../../../../coordination/base/sandbox/model-bridge.js";

describe("parseEndpoint", () => {
  it("splits host:port (an IPv6 literal unbracketed) and refuses anything else", () => {
    expect(parseEndpoint("api.openai.com:443")).toEqual({
      host: "api.openai.com",
      port: 443,
    });
    expect(parseEndpoint("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
    for (const bad of ["api.openai.com", ":443", "h:0", "h:99999", "h:x"])
      expect(() => parseEndpoint(bad)).toThrow(/is not host:port/);
  });
});

describe("removeOrphanedBridges", () => {
  it("removes the dirs of dead processes and keeps live ones and other names", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "gitswarm-test-bridges-"));
    try {
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
      const names = [
        `gitswarm-bridge-${dead}-abc`,
        `gitswarm-bridge-${process.pid}-def`,
        "gitswarm-bridge-Xy12zz",
        "other-1-x",
      ];
      for (const name of names) await mkdir(path.join(tmp, name));
      removeOrphanedBridges(tmp);
      expect((await readdir(tmp)).sort()).toEqual(names.slice(1).sort());
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
