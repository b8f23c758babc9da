/** What a sandboxed vendor CLI is lent: its installation, its config dir, its model endpoints. */
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultSpec } from "../../agents/index.js";
import {
  cliConfinement,
  modelEndpoints,
} from "../../agents/cli/cli-sandbox.js";

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

describe("modelEndpoints", () => {
  it("is the baseUrl's host:port (its scheme's port when none is written), else the vendor's hosts", () => {
    const hosts = ["api.anthropic.com:443"];
    expect(
      modelEndpoints({ baseUrl: "http://127.0.0.1:8080/v1" }, hosts),
    ).toEqual(["127.0.0.1:8080"]);
    expect(modelEndpoints({ baseUrl: "http://gpu-box/v1" }, hosts)).toEqual([
      "gpu-box:80",
    ]);
    expect(modelEndpoints({ baseUrl: "https://proxy.corp" }, hosts)).toEqual([
      "proxy.corp:443",
    ]);
    expect(modelEndpoints({ baseUrl: "http://[::1]:9/" }, hosts)).toEqual([
      "[::1]:9",
    ]);
    expect(modelEndpoints({}, hosts)).toEqual(hosts);
  });
});

describe("cliConfinement", () => {
  it("lends the whole node_modules tree of a .bin link, the vendor's config dir (made), and says ENOENT for a missing binary", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-cli-lend-"));
    made.push(root);
    const pkg = path.join(root, "node_modules", "@v", "cli", "bin");
    await mkdir(pkg, { recursive: true });
    await mkdir(path.join(root, "node_modules", ".bin"));
    await writeFile(path.join(pkg, "cli.js"), "");
    await symlink(
      "../@v/cli/bin/cli.js",
      path.join(root, "node_modules", ".bin", "codex"),
    );
    const home = path.join(root, "home");
    const env = {
      PATH: `/nonexistent:${path.join(root, "node_modules", ".bin")}`,
      HOME: home,
    };
    const lent = await cliConfinement(defaultSpec("codex", "c"), "codex", env);
    expect(lent).toEqual({
      role: "cli",
      readable: [path.join(root, "node_modules")],
      writable: [path.join(home, ".codex")],
      endpoints: ["api.openai.com:443", "chatgpt.com:443"],
    });
    expect((await stat(path.join(home, ".codex"))).isDirectory()).toBe(true);
    const claude = await cliConfinement(
      defaultSpec("claude-code", "c", { baseUrl: "http://127.0.0.1:9" }),
      "codex",
      { ...env, CLAUDE_CONFIG_DIR: path.join(root, "cc") },
    );
    expect(claude).toMatchObject({
      writable: [path.join(root, "cc")],
      endpoints: ["127.0.0.1:9"],
    });
    await expect(
      cliConfinement(defaultSpec("codex", "c"), "claude", env),
    ).rejects.toMatchObject({ code: "ENOENT" });
  });
});
