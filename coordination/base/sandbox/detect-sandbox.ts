/**
 * Finding the sandbox this host can give agents: bubblewrap on PATH whose namespaces the kernel
 * allows (proved by starting a confined `true`, not guessed from the kernel version), the system
 * toolchain dirs that exist here, and node's own prefix when it lives elsewhere (nvm, a tarball).
 */
import { lstat, mkdtemp, readlink, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { decode, runProcess } from "../spawn.js";
import { bwrapArgs } from "./bwrap-args.js";
import type {
  BwrapPlan,
  NetworkMode,
  SandboxPlan,
  SystemPath,
} from "./sandbox-plan.js";

/** What the user asked for (the `sandbox:` section of gitswarm.config.yaml). */
export interface SandboxSettings {
  /** `auto`: bubblewrap; `off`: none, said loudly. */
  mode: "auto" | "off";
  network: NetworkMode;
  readOnly: string[];
  readWrite: string[];
  /** Where no sandbox can start: `refuse` to run, or run `unsandboxed` (the user opted in). */
  unavailable: "refuse" | "unsandboxed";
}

/** The dirs that hold a Linux system's programs, libraries and their config. */
const SYSTEM_DIRS = [
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/etc",
  "/opt",
  "/nix",
];

/** The sandbox found here: a working bwrap plan, or why there is none. */
export type SandboxProbe =
  { ok: true; plan: BwrapPlan } | { ok: false; reason: string };

/** Looks for bubblewrap and proves it can start a confined process here. Never throws. */
export async function probeSandbox(
  settings: Pick<SandboxSettings, "network" | "readOnly" | "readWrite">,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SandboxProbe> {
  if (process.platform !== "linux")
    return {
      ok: false,
      reason: `no sandbox on ${process.platform}: gitswarm confines agents with bubblewrap, which needs Linux`,
    };
  const bwrap = await findOnPath("bwrap", env.PATH ?? "");
  if (bwrap === undefined)
    return {
      ok: false,
      reason:
        "bubblewrap (bwrap) is not installed: install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)",
    };
  const plan: BwrapPlan = {
    kind: "bwrap",
    bwrap,
    network: settings.network,
    system: await systemPaths(),
    readOnly: settings.readOnly.map((p) => path.resolve(p)),
    readWrite: settings.readWrite.map((p) => path.resolve(p)),
    ...(env.HOME !== undefined ? { home: env.HOME } : {}),
  };
  const scratch = await mkdtemp(path.join(os.tmpdir(), "gitswarm-sandbox-"));
  try {
    const result = await runProcess(
      bwrap,
      bwrapArgs(plan, { role: "command", cwd: scratch }, "/bin/sh", [
        "-c",
        "exit 0",
      ]),
      { cwd: scratch, timeoutMs: 20_000 },
    );
    if (result.exitCode === 0) return { ok: true, plan };
    const why = decode(result.stderr).trim() || `exit code ${result.exitCode}`;
    return {
      ok: false,
      reason: `bubblewrap cannot start a sandbox here (${why}); the kernel or container may forbid user namespaces (sysctl kernel.unprivileged_userns_clone=1, or AppArmor's kernel.apparmor_restrict_unprivileged_userns=0)`,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Turns settings and the probe into the plan agents get, or the reason none can be had. */
export async function resolveSandbox(
  settings: SandboxSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ plan: SandboxPlan; refused?: string }> {
  if (settings.mode === "off")
    return {
      plan: { kind: "none", reason: "sandbox: off in gitswarm.config.yaml" },
    };
  const probe = await probeSandbox(settings, env);
  if (probe.ok) return { plan: probe.plan };
  if (settings.unavailable === "unsandboxed")
    return {
      plan: {
        kind: "none",
        reason: `${probe.reason}; running unsandboxed (sandbox.unavailable: unsandboxed)`,
      },
    };
  return {
    plan: { kind: "none", reason: probe.reason },
    refused: probe.reason,
  };
}

/** The system dirs that exist here, symlinks kept as symlinks, plus node's prefix if elsewhere. */
async function systemPaths(): Promise<SystemPath[]> {
  const out: SystemPath[] = [];
  for (const dir of SYSTEM_DIRS) {
    const stat = await lstat(dir).catch(() => undefined);
    if (stat === undefined) continue;
    out.push(
      stat.isSymbolicLink()
        ? { path: dir, symlinkTo: await readlink(dir) }
        : { path: dir },
    );
  }
  const nodePrefix = path.dirname(path.dirname(process.execPath));
  if (!out.some((d) => isInside(nodePrefix, d.path)))
    out.push({ path: nodePrefix });
  return out;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

async function findOnPath(
  name: string,
  searchPath: string,
): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === "") continue;
    const file = path.join(dir, name);
    const stat = await lstat(file).catch(() => undefined);
    if (stat !== undefined && !stat.isDirectory()) return file;
  }
  return undefined;
}
