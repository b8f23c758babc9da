/** The bubblewrap command line as plain data: what a confined command sees, per role. */
import { describe, expect, it } from "vitest";
import { bwrapArgs } from "../../../../coordination/base/sandbox/bwrap-args.js";
import { confineCommand } from "../../../../coordination/base/sandbox/confine.js";
import type { BwrapPlan } from "../../../../coordination/base/sandbox/sandbox-plan.js";

const plan: BwrapPlan = {
  kind: "bwrap",
  bwrap: "/usr/bin/bwrap",
  node: "/usr/bin/node",
  network: "model",
  system: [
    { path: "/usr" },
    { path: "/bin", symlinkTo: "usr/bin" },
    { path: "/etc" },
  ],
  readOnly: ["/data/set"],
  readWrite: [],
  home: "/home/me",
};
const clone = "/home/me/proj/.gitswarm/workspaces/a";

/** The source → destination pairs of one mount option. */
function mounts(args: string[], option: string): string[] {
  return args.flatMap((arg, i) =>
    arg === option ? [`${args[i + 1]}:${args[i + 2]}`] : [],
  );
}

describe("bwrapArgs", () => {
  it("shows the clone read-write, the system read-only, and nothing else of the host", () => {
    const args = bwrapArgs(plan, { role: "command", cwd: clone }, "/bin/sh", [
      "-c",
      "x",
    ]);
    expect(mounts(args, "--bind")).toEqual([`${clone}:${clone}`]);
    expect(mounts(args, "--ro-bind")).toEqual(["/usr:/usr", "/etc:/etc"]);
    expect(mounts(args, "--ro-bind-try")).toEqual(["/data/set:/data/set"]);
    expect(mounts(args, "--symlink")).toEqual(["usr/bin:/bin"]);
    // A private /tmp and an empty $HOME, mounted before the clone (which may lie inside either).
    const tmpfs = args.flatMap((a, i) =>
      a === "--tmpfs" ? [args[i + 1]] : [],
    );
    expect(tmpfs).toEqual(["/tmp", "/home/me"]);
    expect(args.indexOf("--tmpfs")).toBeLessThan(args.indexOf("--bind"));
    expect(args).toContain("--unshare-all");
    expect(
      args.slice(args.indexOf("--proc"), args.indexOf("--proc") + 2),
    ).toEqual(["--proc", "/proc"]);
    expect(args.slice(-4)).toEqual(["--", "/bin/sh", "-c", "x"]);
    expect(
      args.slice(args.indexOf("--chdir"), args.indexOf("--chdir") + 2),
    ).toEqual(["--chdir", clone]);
  });

  it("shows a reviewer the clone read-only", () => {
    const args = bwrapArgs(
      plan,
      { role: "cli", cwd: clone, cwdReadOnly: true },
      "codex",
      [],
    );
    expect(mounts(args, "--bind")).toEqual([]);
    expect(mounts(args, "--ro-bind")).toContain(`${clone}:${clone}`);
  });

  it("drops every capability and makes its own root read-only", () => {
    const args = bwrapArgs(plan, { role: "tool", cwd: clone }, "true", []);
    expect(args.join(" ")).toContain("--cap-drop ALL");
    expect(args.join(" ")).toContain("--remount-ro /");
  });

  it("gives the network back only where the mode and role say", () => {
    const net = (
      network: BwrapPlan["network"],
      role: "command" | "tool" | "candidate" | "job" | "cli",
    ) =>
      bwrapArgs(
        { ...plan, network },
        { role, cwd: clone },
        "true",
        [],
      ).includes("--share-net");
    // Under `model` not even a vendor CLI shares the host's network: it gets the bridge below.
    expect(
      ["command", "tool", "candidate", "job", "cli"].map((r) =>
        net("model", r as "cli"),
      ),
    ).toEqual([false, false, false, false, false]);
    expect(net("on", "cli")).toBe(true);
    expect(net("off", "cli")).toBe(false);
    expect(net("on", "command")).toBe(true);
  });

  it("starts a vendor CLI under `model` behind the bridge to its endpoints, and with none, with no network", () => {
    const request = {
      role: "cli" as const,
      cwd: clone,
      endpoints: ["127.0.0.1:8080", "api.anthropic.com:443"],
      bridge: "/tmp/gitswarm-bridge-x",
    };
    const args = bwrapArgs(plan, request, "claude", ["-p", "hi"]);
    expect(mounts(args, "--bind")).toContain(
      "/tmp/gitswarm-bridge-x:/tmp/gitswarm-bridge-x",
    );
    const run = args.slice(args.indexOf("--") + 1);
    expect(run.slice(0, 2)).toEqual(["/usr/bin/node", "-e"]);
    expect(run.slice(3)).toEqual([
      "--",
      "/tmp/gitswarm-bridge-x",
      '["127.0.0.1:8080","api.anthropic.com:443"]',
      "claude",
      "-p",
      "hi",
    ]);
    const bare = bwrapArgs(plan, { ...request, endpoints: [] }, "claude", []);
    expect(bare).not.toContain("--share-net");
    expect(bare.slice(bare.indexOf("--") + 1)).toEqual(["claude"]);
    expect(mounts(bare, "--bind")).toEqual([`${clone}:${clone}`]);
  });

  it("gives a job its checkpoint dir, its GPUs and /sys", () => {
    const args = bwrapArgs(
      plan,
      {
        role: "job",
        cwd: clone,
        writable: ["/jobs/run-1"],
        devices: ["/dev/nvidia0", "/dev/nvidiactl"],
      },
      "sh",
      [],
    );
    expect(mounts(args, "--bind-try")).toEqual(["/jobs/run-1:/jobs/run-1"]);
    expect(mounts(args, "--dev-bind-try")).toEqual([
      "/dev/nvidia0:/dev/nvidia0",
      "/dev/nvidiactl:/dev/nvidiactl",
    ]);
    expect(mounts(args, "--ro-bind-try")).toContain("/sys:/sys");
    expect(
      mounts(
        bwrapArgs(plan, { role: "job", cwd: clone }, "sh", []),
        "--ro-bind-try",
      ),
    ).not.toContain("/sys:/sys");
  });

  it("lends a vendor CLI its installation read-only and its config dir read-write", () => {
    const args = bwrapArgs(
      plan,
      {
        role: "cli",
        cwd: clone,
        readable: ["/opt/cli/node_modules"],
        writable: ["/home/me/.codex"],
      },
      "codex",
      [],
    );
    expect(mounts(args, "--ro-bind-try")).toEqual([
      "/data/set:/data/set",
      "/opt/cli/node_modules:/opt/cli/node_modules",
    ]);
    expect(mounts(args, "--bind-try")).toEqual([
      "/home/me/.codex:/home/me/.codex",
    ]);
    // Bound after the empty $HOME is mounted, so it shows through it.
    expect(args.indexOf("--bind-try")).toBeGreaterThan(
      args.indexOf("/home/me"),
    );
  });

  it("never mounts a tmpfs over / when $HOME is /", () => {
    const args = bwrapArgs(
      { ...plan, home: "/" },
      { role: "command", cwd: clone },
      "true",
      [],
    );
    expect(
      args.flatMap((a, i) => (a === "--tmpfs" ? [args[i + 1]] : [])),
    ).toEqual(["/tmp"]);
  });
});

describe("confineCommand", () => {
  it("leaves a command alone without a plan or with `none`", () => {
    const command = { file: "ls", args: ["-l"], shell: false };
    expect(
      confineCommand(command, { role: "tool", cwd: clone }, undefined),
    ).toEqual(command);
    expect(
      confineCommand(
        command,
        { role: "tool", cwd: clone },
        { kind: "none", reason: "off" },
      ),
    ).toEqual(command);
  });

  it("runs a shell line through /bin/sh -c inside bwrap", () => {
    const out = confineCommand(
      { file: "node run.mjs a.case", args: [], shell: true },
      { role: "candidate", cwd: clone },
      plan,
    );
    expect(out.file).toBe("/usr/bin/bwrap");
    expect(out.shell).toBe(false);
    expect(out.args.slice(-4)).toEqual([
      "--",
      "/bin/sh",
      "-c",
      "node run.mjs a.case",
    ]);
  });
});
