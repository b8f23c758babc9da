/**
 * The sandbox with real processes, one spawn at a time (the whole-run acceptance test is
 * test/runner/sandbox-hostile.integration.test.ts): what a confined command can see, write and
 * connect to, per network mode; and what the probe says where bubblewrap is missing.
 */
import { lookup } from "node:dns/promises";
import { createServer, type Server } from "node:net";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeSandbox } from "../../../../coordination/base/sandbox/detect-sandbox.js";
import {
  setAgentSandbox,
  withModelBridge,
} from "../../../../coordination/base/sandbox/confine.js";
import type {
  BwrapPlan,
  SandboxRole,
} from "../../../../coordination/base/sandbox/sandbox-plan.js";
import { decode, runProcess } from "../../../../coordination/base/spawn.js";

const probe = await probeSandbox({
  network: "model",
  readOnly: [],
  readWrite: [],
});
const skip = probe.ok ? false : `no sandbox on this host: ${probe.reason}`;
if (skip) console.warn(`confine: skipped, ${skip}`);

/** Run inside: the model port directly and through both proxies, another port all three ways, and DNS. */
const PROBE = `
const net = require("net");
const [model, other, name] = process.argv.slice(2);
const direct = (port) => new Promise((done) => {
  let got = "";
  net.connect(Number(port), "127.0.0.1").on("data", (d) => (got += d)).on("end", () => done(got.trim()))
    .on("error", (e) => done(e.code));
});
const proxied = (port) => new Promise((done) => {
  const proxy = new URL(process.env.HTTPS_PROXY);
  const s = net.connect(Number(proxy.port), proxy.hostname);
  let got = "";
  s.on("connect", () => s.write("CONNECT " + name + ":" + port + " HTTP/1.1\\r\\nHost: " + name + "\\r\\n\\r\\n"));
  s.on("data", (d) => (got += d)).on("close", () => {
    const [head, body] = got.split("\\r\\n\\r\\n");
    done(head.split("\\r\\n")[0] + (head.includes(" 200 ") ? " | " + body.trim() : ""));
  });
});
// A plain-http request through HTTP_PROXY: the server here answers any bytes with "model".
const plain = (port) => new Promise((done) => {
  const proxy = new URL(process.env.HTTP_PROXY);
  const s = net.connect(Number(proxy.port), proxy.hostname);
  let got = "";
  s.on("connect", () => s.write("GET http://" + name + ":" + port + "/v1 HTTP/1.1\\r\\nHost: " + name + "\\r\\n\\r\\n"));
  s.on("data", (d) => (got += d)).on("close", () => done(got.split("\\r\\n")[0].trim()));
});
(async () => {
  console.log("direct model: " + (await direct(model)));
  console.log("direct other: " + (await direct(other)));
  console.log("proxy model: " + (await proxied(model)));
  console.log("proxy other: " + (await proxied(other)));
  console.log("plain model: " + (await plain(model)));
  console.log("plain other: " + (await plain(other)));
  require("dns").lookup("example.com", (e) => console.log("dns: " + (e ? "no" : "yes")));
})();
`;

/** This host's first address outside loopback (where its name does not resolve). */
function externalAddress(): string {
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? [])
      if (!a.internal && a.family === "IPv4") return a.address;
  throw new Error("no address outside loopback to test the proxy with");
}

describe("probeSandbox", () => {
  it("says how to install bubblewrap where it is not on PATH", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "gitswarm-nopath-"));
    try {
      const result = await probeSandbox(
        { network: "off", readOnly: [], readWrite: [] },
        { PATH: empty },
      );
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).toMatch(/bubblewrap.*not installed/);
        expect(result.fix).toMatch(/apt-get install bubblewrap.*sandbox: off/);
      }
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe.skipIf(skip !== false)("a confined command", () => {
  let root = "";
  let clone = "";
  let listener: Server;
  let port = 0;
  const connections: number[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-confine-"));
    clone = path.join(root, "workspaces", "a");
    await mkdir(clone, { recursive: true });
    await mkdir(path.join(root, "workspaces", "b"));
    await writeFile(
      path.join(root, "workspaces", "b", "secret.txt"),
      "b's work\n",
    );
    await mkdir(path.join(root, "hub.git"));
    listener = createServer((socket) => {
      connections.push(1);
      socket.end();
    });
    await new Promise<void>((resolve) =>
      listener.listen(0, "127.0.0.1", resolve),
    );
    port = (listener.address() as { port: number }).port;
  });

  afterAll(async () => {
    setAgentSandbox(undefined);
    listener.close();
    await rm(root, { recursive: true, force: true });
  });

  async function sh(
    line: string,
    role: SandboxRole,
    network: BwrapPlan["network"] = "model",
  ) {
    setAgentSandbox({ ...(probe as { plan: BwrapPlan }).plan, network });
    try {
      const r = await runProcess("/bin/sh", ["-c", line], {
        cwd: clone,
        confine: { role },
        timeoutMs: 30_000,
      });
      return {
        code: r.exitCode,
        out: decode(r.stdout).trim(),
        err: decode(r.stderr).trim(),
      };
    } finally {
      setAgentSandbox(undefined);
    }
  }

  it("sees only its own processes: not this test's, not its parent's", async () => {
    const r = await sh("ls /proc | grep -E '^[0-9]+$'", "tool");
    const pids = r.out.split("\n").map(Number);
    expect(pids.length).toBeLessThan(6);
    expect(pids).not.toContain(process.pid);
    expect(pids).not.toContain(process.ppid);
  });

  it("writes its clone, but sees no sibling clone, no hub and no files of the host", async () => {
    const r = await sh(
      `echo hi > made.txt && cat made.txt; ls ..; ls ../b 2>&1; ls ../../hub.git 2>&1; ls /work /srv /root 2>&1 | head -3; echo x > /etc/x 2>&1 || echo ro`,
      "command",
    );
    expect(r.out).toContain("hi");
    expect(r.out).not.toContain("secret.txt");
    expect(r.out).toMatch(/\.\.\/b.*No such file/);
    expect(r.out).toMatch(/hub\.git.*No such file/);
    expect(r.out).toContain("ro");
    expect((await readdir(clone)).includes("made.txt")).toBe(true);
  });

  it("gets an empty $HOME and /tmp of its own, and runs node and git from the system", async () => {
    const r = await sh(
      `ls -A "$HOME" | wc -l; ls -A /tmp | wc -l; node -e 'console.log(6*7)'; git --version`,
      "tool",
    );
    const [home, tmp, node, git] = r.out.split("\n");
    expect(Number(home)).toBe(0);
    expect(Number(tmp)).toBeLessThanOrEqual(1); // only the path down to the clone, when it lies in /tmp
    expect(node).toBe("42");
    expect(git).toMatch(/^git version/);
  });

  it("reaches no local listener with the network off, and does with it on", async () => {
    const connect = `node -e 'require("net").connect(${port}, "127.0.0.1").on("connect", () => { console.log("connected"); process.exit(0) }).on("error", (e) => { console.log(e.code); process.exit(0) })'`;
    expect((await sh(connect, "command", "model")).out).toBe("ECONNREFUSED");
    expect((await sh(connect, "tool", "off")).out).toBe("ECONNREFUSED");
    // A vendor CLI under `model` with no endpoint declared reaches nothing either.
    expect((await sh(connect, "cli", "model")).out).toBe("ECONNREFUSED");
    expect(connections).toEqual([]);
    expect((await sh(connect, "command", "on")).out).toBe("connected");
    expect(connections.length).toBe(1);
  });

  it("under network: model, a vendor CLI reaches its model endpoints, directly or through the proxy, and no other port", async () => {
    const model = createServer((socket) => socket.end("model\n"));
    await new Promise<void>((resolve) => model.listen(0, "0.0.0.0", resolve));
    const modelPort = (model.address() as { port: number }).port;
    // An endpoint by name goes through the CONNECT proxy; the host resolves it, the sandbox cannot.
    const name = await lookup(os.hostname()).then(
      () => os.hostname(),
      () => externalAddress(),
    );
    const before = connections.length;
    await writeFile(path.join(clone, "probe.cjs"), PROBE);
    try {
      setAgentSandbox({
        ...(probe as { plan: BwrapPlan }).plan,
        network: "model",
      });
      const confine = await withModelBridge({
        role: "cli" as const,
        endpoints: [`127.0.0.1:${modelPort}`, `${name}:${modelPort}`],
      });
      const r = await runProcess(
        "node",
        ["probe.cjs", String(modelPort), String(port), name],
        { cwd: clone, confine, timeoutMs: 30_000 },
      );
      expect(decode(r.stderr)).toBe("");
      expect(decode(r.stdout).trim().split("\n")).toEqual([
        "direct model: model",
        "direct other: ECONNREFUSED",
        `proxy model: HTTP/1.1 200 Connection established | model`,
        "proxy other: HTTP/1.1 403 Forbidden",
        "plain model: model",
        "plain other: HTTP/1.1 403 Forbidden",
        "dns: no",
      ]);
      expect(connections.length).toBe(before);
    } finally {
      setAgentSandbox(undefined);
      model.close();
    }
  });

  it("confines nothing in a process that set no plan (the user's own `gitswarm oracle`)", async () => {
    const r = await runProcess("/bin/sh", ["-c", "ls ../b"], {
      cwd: clone,
      confine: { role: "candidate" },
    });
    expect(decode(r.stdout).trim()).toBe("secret.txt");
  });
});
