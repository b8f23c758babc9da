/**
 * Issue 11: an agent's command plants programs in its clone's git config, hooks and attributes;
 * gitswarm's own git calls there (add, status, diff, commit, push, fetch, merge, checkout, log)
 * run none of them, and a program git does run through a vector nobody neutralised still sees no key.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { declareSecretNames } from "../../coordination/base/secret-env.js";
import { runProcess } from "../../coordination/base/spawn.js";
import { Git } from "../../coordination/git/git.js";
import {
  findSecrets,
  readLeaks,
  writeSpy,
  type Spy,
} from "../support/planted-vectors.js";

const SECRETS = {
  ANTHROPIC_API_KEY: "sk-ant-hardening-0123456789",
  DEEPSEEK_KEY: "sk-deepseek-hardening-0123456789",
  FOO_TOKEN: "foo-token-hardening-0123456789",
  // Looks harmless; secret because a config declared it as an apiKeyEnv.
  VENDORX: "vendorx-hardening-0123456789",
};
const me = { name: "agent-a", email: "agent-a@gitswarm.invalid" };

let root = "";
let spy: Spy;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-harden-"));
  spy = await writeSpy(root);
  declareSecretNames(["VENDORX"]);
  for (const [name, value] of Object.entries(SECRETS)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  await rm(spy.leakDir, { recursive: true, force: true });
  spy = await writeSpy(root);
});

/** A hub with one commit and a clone of it in which the spy is planted (by plain git, as an agent's command would). */
async function plantedClone(name: string): Promise<Git> {
  const hub = path.join(root, `${name}-hub.git`);
  const seed = new Git(path.join(root, `${name}-seed`), me);
  await new Git(root).run(["init", "--quiet", "--bare", "-b", "main", hub]);
  await new Git(root).run(["init", "--quiet", "-b", "main", seed.dir]);
  await writeFile(path.join(seed.dir, "a.txt"), "one\n");
  await seed.run(["add", "a.txt"]);
  await seed.run(["commit", "--quiet", "-m", "seed"]);
  await seed.run(["push", "--quiet", hub, "main"]);
  const clone = new Git(path.join(root, `${name}-clone`), me);
  await new Git(root).run(["clone", "--quiet", hub, clone.dir]);
  const planted = await runProcess("/bin/sh", [spy.plant], {
    cwd: clone.dir,
    timeoutMs: 10_000,
  });
  expect(planted.exitCode).toBe(0);
  return clone;
}

describe("gitswarm's git calls in a clone an agent has planted programs in", () => {
  it("run none of the planted programs: fsmonitor, hooks, filters, textconv, drivers, ssh, pack programs, helpers, gpg", async () => {
    const git = await plantedClone("all");
    await writeFile(path.join(git.dir, "a.txt"), "one\ntwo\n");
    await writeFile(path.join(git.dir, "b.txt"), "new\n");
    await git.run(["status", "--porcelain"]);
    await git.run(["diff", "HEAD"]);
    await git.run(["add", "--all"]);
    await git.run(["diff", "--cached", "--quiet"]).catch(() => undefined);
    await git.run(["commit", "--quiet", "-m", "work"]);
    await git.run(["log", "-p", "-1"]);
    await git.run(["push", "--quiet", "origin", "HEAD:refs/heads/work"]);
    await git.run(["fetch", "--quiet", "origin"]);
    // Both sides change a.txt: a merge consults its (planted) merge driver.
    await git.run(["checkout", "--quiet", "-b", "side", "HEAD~1"]);
    await writeFile(path.join(git.dir, "a.txt"), "zero\none\n");
    await git.run(["commit", "--quiet", "-am", "side"]);
    await git.tryRun(["merge", "--no-edit", "main"]);
    await git.tryRun(["merge", "--abort"]);
    await git.run(["checkout", "--quiet", "main"]);
    await git.run(["ls-remote", "origin"]);
    // A remote the agent pointed at ssh (its core.sshCommand) or at an ext:: command.
    await git.tryRun(["ls-remote", "ssh://127.0.0.1:1/planted.git"]);
    await git.tryRun(["ls-remote", `ext::${spy.spy}-ssh %S`]);
    const leaks = await readLeaks(spy.leakDir);
    // Only the planting command itself wrote its env (and it ran without keys too).
    expect(leaks.map((l) => l.file.split(".")[0])).toEqual(["command"]);
    expect(findSecrets(leaks, SECRETS)).toEqual([]);
  }, 60_000);

  it("give a program git runs through a vector nobody neutralised an environment without any key", async () => {
    const git = await plantedClone("missed");
    // An alias runs a shell command: not repository config we override, so it runs.
    await git.run(["-c", `alias.spy=!${spy.spy} alias`, "spy"]);
    const leaks = await readLeaks(spy.leakDir);
    expect(leaks.map((l) => l.file.split(".")[0])).toContain("alias");
    expect(findSecrets(leaks, SECRETS)).toEqual([]);
    // The test would notice a leak: the same program run with our env does see them.
    expect(process.env.ANTHROPIC_API_KEY).toBe(SECRETS.ANTHROPIC_API_KEY);
  }, 60_000);

  it("and any process started through spawn.ts (an oracle run, a doctor check) inherits no key unless it is passed", async () => {
    const inherited = await runProcess("/bin/sh", ["-c", "env"], {
      cwd: root,
      env: { EXTRA: "1" },
      timeoutMs: 10_000,
    });
    const text = new TextDecoder().decode(inherited.stdout);
    expect(text).toContain("EXTRA=1");
    expect(text).toContain("PATH=");
    expect(findSecrets([{ file: "env", text }], SECRETS)).toEqual([]);
    const passed = await runProcess("/bin/sh", ["-c", "env"], {
      cwd: root,
      env: { FOO_TOKEN: SECRETS.FOO_TOKEN },
      timeoutMs: 10_000,
    });
    expect(new TextDecoder().decode(passed.stdout)).toContain(
      `FOO_TOKEN=${SECRETS.FOO_TOKEN}`,
    );
  });

  it("keep the user's own global filter (git-lfs style) when the clone redefines it", async () => {
    const git = await plantedClone("lfs");
    const globalConfig = path.join(root, "global.gitconfig");
    await writeFile(
      globalConfig,
      `[filter "spy"]\n\tclean = tr a-z A-Z\n\trequired = true\n`,
    );
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = globalConfig;
    try {
      await writeFile(path.join(git.dir, "c.txt"), "lower\n");
      await git.run(["add", "c.txt"]);
      const blob = await git.run(["cat-file", "-p", ":c.txt"]);
      expect(blob).toBe("LOWER\n");
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved;
    }
    expect(
      (await readLeaks(spy.leakDir)).map((l) => l.file.split(".")[0]),
    ).toEqual(["command"]);
  }, 60_000);
});
