/**
 * The bubblewrap command line for one confined spawn, as a pure function of plain data. The
 * sandbox starts from an empty root and shows only what is listed: the system's toolchains
 * read-only, a fresh /proc of its own PID namespace (no other process to see or walk), a minimal
 * /dev, an empty private /tmp and $HOME, and the agent's clone read-write at its own path. The hub,
 * other clones, the user's files and ~/.ssh are simply not there. No network unless the role has it;
 * under `network: model` a vendor CLI starts behind the model bridge (bridge-inner.ts), which
 * reaches its model endpoints and nothing else.
 */
import path from "node:path";
import { BRIDGE_INNER_SOURCE } from "./bridge-inner.js";
import {
  networkAccess,
  type BwrapPlan,
  type ConfineRequest,
} from "./sandbox-plan.js";

/** The full argv (after the bwrap binary) that runs `file args` confined as `request` says. */
export function bwrapArgs(
  plan: BwrapPlan,
  request: ConfineRequest,
  file: string,
  args: readonly string[],
): string[] {
  const access = networkAccess(plan.network, request.role);
  // Only the model endpoints: a namespace with loopback alone, and the bridge's sockets lent in.
  const bridge =
    access === "endpoints" && (request.endpoints ?? []).length > 0
      ? request.bridge
      : undefined;
  const out: string[] = [
    // Every namespace (user where allowed, PID, IPC, UTS, cgroup, network); the host's network
    // comes back below only for a role that has it all.
    "--unshare-all",
    ...(access === "all" ? ["--share-net"] : []),
    // No capability even when the runner is root (a capable process could mount its way back out).
    // Not --die-with-parent: spawn.ts's SIGTERM to the group kills bwrap itself at once, and the
    // command (in the same group) must keep its grace to checkpoint before the SIGKILL.
    "--cap-drop",
    "ALL",
    // Empty writable scratch first: binds below may land inside them (a clone under /tmp).
    "--tmpfs",
    "/tmp",
    ...homeArgs(plan.home),
  ];
  for (const dir of plan.system)
    out.push(
      ...(dir.symlinkTo === undefined
        ? ["--ro-bind", dir.path, dir.path]
        : ["--symlink", dir.symlinkTo, dir.path]),
    );
  out.push("--proc", "/proc", "--dev", "/dev");
  for (const dir of [...plan.readOnly, ...(request.readable ?? [])])
    out.push("--ro-bind-try", dir, dir);
  for (const dir of [...plan.readWrite, ...(request.writable ?? [])])
    out.push("--bind-try", dir, dir);
  out.push(
    request.cwdReadOnly === true ? "--ro-bind" : "--bind",
    request.cwd,
    request.cwd,
  );
  if (bridge !== undefined) out.push("--bind", bridge, bridge);
  const devices = request.devices ?? [];
  for (const device of devices) out.push("--dev-bind-try", device, device);
  // GPU runtimes read the PCI topology from /sys; nothing else gets it.
  if (devices.length > 0) out.push("--ro-bind-try", "/sys", "/sys");
  // The sandbox's own root (where bwrap made the mount points) becomes read-only too.
  out.push("--remount-ro", "/");
  out.push("--setenv", "TMPDIR", "/tmp", "--chdir", request.cwd, "--");
  if (bridge === undefined) return [...out, file, ...args];
  const endpoints = JSON.stringify(request.endpoints);
  return [
    ...out,
    plan.node,
    "-e",
    BRIDGE_INNER_SOURCE,
    "--",
    bridge,
    endpoints,
    file,
    ...args,
  ];
}

/** An empty private home at $HOME's own path, unless it is `/` (then /tmp serves). */
function homeArgs(home: string | undefined): string[] {
  if (home === undefined || path.resolve(home) === "/") return [];
  return ["--tmpfs", path.resolve(home)];
}
