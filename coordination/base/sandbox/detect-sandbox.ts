/**
 * Finding the sandbox this host can give agents: bubblewrap on PATH whose namespaces the kernel
 * allows (proved by starting a confined `true`, not guessed from the kernel version), the system
 * toolchain dirs that exist here, and node's own prefix when it lives elsewhere (nvm, a tarball).
 * There is no second sandbox to fall back to: `unshare` needs the same user namespaces bwrap was
 * just refused, so where bwrap cannot start the run is refused with the fix (or runs unsandboxed
 * only where the user said so), never silently unconfined.
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

/** The sandbox found here: a working bwrap plan, or why there is none and what fixes it. */
export type SandboxProbe =
  { ok: true; plan: BwrapPlan } | { ok: false; reason: string; fix: string };

/** What turns a missing or blocked sandbox off without hiding it, said with every fix. */
const OFF_FIX =
  "or run the agents unsandboxed on purpose with `sandbox: off` (or `sandbox: { unavailable: unsandboxed }`) in gitswarm.config.yaml";

/**
 * Looks for bubblewrap and proves it can start a confined process here. The proof (one confined
 * `sh -c 'exit 0'`, a few milliseconds) is made once per bwrap binary per process and remembered:
 * the kernel's answer does not change while gitswarm runs. Never throws.
 */
export async function probeSandbox(
  settings: Pick<SandboxSettings, "network" | "readOnly" | "readWrite">,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SandboxProbe> {
  if (process.platform !== "linux")
    return {
      ok: false,
      reason: `no sandbox on ${process.platform}: gitswarm confines agents with bubblewrap, which needs Linux`,
      fix: `run gitswarm on Linux (a VM or container), ${OFF_FIX}`,
    };
  const bwrap = await findOnPath("bwrap", env.PATH ?? "");
  if (bwrap === undefined)
    return {
      ok: false,
      reason: "bubblewrap (bwrap) is not installed",
      fix: `install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), ${OFF_FIX}`,
    };
  const plan: BwrapPlan = {
    kind: "bwrap",
    bwrap,
    node: process.execPath,
    network: settings.network,
    system: await systemPaths(),
    readOnly: settings.readOnly.map((p) => path.resolve(p)),
    readWrite: settings.readWrite.map((p) => path.resolve(p)),
    ...(env.HOME !== undefined ? { home: env.HOME } : {}),
  };
  let proof = proofs.get(bwrap);
  if (proof === undefined) proofs.set(bwrap, (proof = proveBwrap(plan)));
  const failure = await proof;
  return failure === undefined
    ? { ok: true, plan }
    : {
        ok: false,
        reason: `bubblewrap cannot create its namespaces here (${failure})`,
        fix: `allow unprivileged user namespaces (sysctl -w kernel.unprivileged_userns_clone=1; on Ubuntu 23.10+ also kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; in a container, a seccomp profile that allows unshare and mount, e.g. docker run --security-opt seccomp=unconfined --security-opt apparmor=unconfined), ${OFF_FIX}`,
      };
}

/** Each bwrap binary's proof, made once: undefined when it started a sandbox, else what it said. */
const proofs = new Map<string, Promise<string | undefined>>();

async function proveBwrap(plan: BwrapPlan): Promise<string | undefined> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), "gitswarm-sandbox-"));
  try {
    const result = await runProcess(
      plan.bwrap,
      bwrapArgs(plan, { role: "command", cwd: scratch }, "/bin/sh", [
        "-c",
        "exit 0",
      ]),
      { cwd: scratch, timeoutMs: 20_000 },
    );
    if (result.exitCode === 0) return undefined;
    return decode(result.stderr).trim() || `exit code ${result.exitCode}`;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Turns settings and the probe into the plan agents get, or the reason none can be had. */
export async function resolveSandbox(
  settings: SandboxSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ plan: SandboxPlan; refused?: { reason: string; fix: string } }> {
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
    refused: { reason: probe.reason, fix: probe.fix },
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
