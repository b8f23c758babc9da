/**
 * Issue 20: a vendor CLI (the real `claude`, pinned devDependency) runs in the agent's sandbox. Its
 * shell tool, scripted by a local Messages server, tries to read a secret file beside its clone and
 * every process's environ in /proc (where a host process holds a key); it finds neither, and still
 * does its task: the file it writes in its clone is there, and the run finishes.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, defaultSpec } from "../../agents/index.js";
import { setAgentSandbox } from "../../coordination/base/sandbox/confine.js";
import { probeSandbox } from "../../coordination/base/sandbox/detect-sandbox.js";
import { streamLines } from "../../coordination/base/spawn.js";
import {
  startCliVendor,
  type CliVendorServer,
} from "./fixtures/cli-vendor-streams.js";
import { makeCliHome, probeCli, REAL_CLIS } from "./fixtures/real-clis.js";
import { makeRequest, makeWorkspace } from "./fixtures/workspace.js";

const RUNNER_KEY = "sk-runner-held-0123456789";
const CLI_KEY = "sk-cli-own-0123456789";

const home = await makeCliHome();
const sandbox = await probeSandbox(
  { network: "model", readOnly: [], readWrite: [] },
  home.env,
);
const cli = await probeCli("claude-code");
const skip = !sandbox.ok
  ? `no sandbox on this host: ${sandbox.reason}`
  : !cli.ok
    ? cli.reason
    : false;
if (skip) console.warn(`cli sandbox: skipped, ${skip}`);

describe.skipIf(skip !== false)("a sandboxed vendor CLI", () => {
  let root = "";
  const stopHolder = new AbortController();
  let holder: { pid: number | undefined; done: Promise<unknown> } | undefined;
  let server: CliVendorServer | undefined;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-cli-sandbox-"));
    await writeFile(path.join(root, "secret.txt"), "top-secret\n");
    // A host process holding a key in its environ, as a runner without the scrub would.
    holder = streamLines("sleep", ["600"], {
      cwd: root,
      env: { PATH: process.env.PATH, RUNNER_KEY },
      extendEnv: false,
      signal: stopHolder.signal,
    });
  });

  afterAll(async () => {
    setAgentSandbox(undefined);
    stopHolder.abort();
    await holder?.done;
    await server?.close();
    await rm(root, { recursive: true, force: true });
    await home.cleanup();
  });

  it("reads no file outside its clone and no key in /proc, and still does its task", async () => {
    const workspace = await makeWorkspace({ "a.txt": "alpha\n" });
    const secret = path.join(root, "secret.txt");
    server = await startCliVendor("claude-code", {
      file: "unused",
      content: "",
      final: "Ran it.",
      command: [
        `cat ${secret} > leak.txt 2>&1`,
        `ls /proc | grep -E '^[0-9]+$' > pids.txt`,
        `cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c sk-runner > keys.txt`,
        `echo done > made.txt`,
      ].join("; "),
    });
    // The host process's key is readable here, unconfined: the sandbox is what hides it.
    expect(await readFile(`/proc/${holder?.pid}/environ`, "utf8")).toContain(
      RUNNER_KEY,
    );
    setAgentSandbox(sandbox.ok ? sandbox.plan : undefined);
    const agent = createAgent(
      defaultSpec("claude-code", "claude-code", {
        model: REAL_CLIS["claude-code"].model,
        baseUrl: server.url,
      }),
      { env: { ...home.env, ANTHROPIC_API_KEY: CLI_KEY } },
    );
    const outcome = await agent.work(
      makeRequest(workspace, { budget: { timeoutMs: 90_000 } }),
    );
    expect(outcome, JSON.stringify(outcome)).toMatchObject({
      kind: "finished",
    });
    const read = (name: string) => readFile(path.join(workspace, name), "utf8");
    expect(await read("made.txt")).toBe("done\n");
    expect(await read("leak.txt")).toMatch(/No such file/);
    expect(await read("leak.txt")).not.toContain("top-secret");
    expect((await read("keys.txt")).trim()).toBe("0");
    const pids = (await read("pids.txt")).trim().split("\n").map(Number);
    expect(pids).not.toContain(holder?.pid);
    expect(pids).not.toContain(process.pid);
    expect(server.sent.calls).toBe(2);
  }, 120_000);
});
