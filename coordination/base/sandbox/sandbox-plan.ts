/**
 * The plain data a sandbox is built from: what the runner decided once at start (the sandbox found
 * on this host, the network mode, the paths the user lends) and what one spawn asks for (its role,
 * its working directory, the extra paths and devices a job gets). Passed to agent processes as JSON.
 */

/**
 * Who may reach the network: `model` only the process that makes the model call (a vendor CLI),
 * and only its model endpoints; `on` everything confined, anywhere; `off` nothing.
 */
export const NETWORK_MODES = ["model", "on", "off"] as const;
/** The `sandbox.network` config value. */
export type NetworkMode = (typeof NETWORK_MODES)[number];

/**
 * What a confined process is, which decides its network: `command` (a `command` agent), `tool`
 * (the API agents' `run_command`), `candidate` (the oracle's candidate program run in the gate),
 * `job` (a `run:` job; it also gets its GPUs and checkpoint dir), `cli` (a vendor CLI, which makes
 * the model call itself).
 */
export type SandboxRole = "command" | "tool" | "candidate" | "job" | "cli";

/** A directory of the host's system made visible read-only; a symlink (merged /usr) stays one. */
export interface SystemPath {
  path: string;
  /** Set when `path` is a symlink: its target as the link says it. */
  symlinkTo?: string;
}

/** A bubblewrap sandbox, resolved by the runner (detect-sandbox.ts) and handed to agent processes. */
export interface BwrapPlan {
  kind: "bwrap";
  /** Absolute path of the bwrap binary. */
  bwrap: string;
  /** The node that runs the model bridge's inside half (the runner's own, visible in the sandbox). */
  node: string;
  network: NetworkMode;
  /** The system's toolchain dirs that exist on this host (/usr, /bin, /etc, node's prefix, …). */
  system: SystemPath[];
  /** Extra paths the user lends read-only (`sandbox.readOnly`). */
  readOnly: string[];
  /** Extra paths the user lends read-write (`sandbox.readWrite`). */
  readWrite: string[];
  /** The user's home: replaced by an empty private one (tools still find a writable $HOME). */
  home?: string;
}

/** No sandbox: the user said `sandbox: off`, or opted in to running without one where none exists. */
export interface NoSandboxPlan {
  kind: "none";
  /** Why, in words, for `doctor`, the start banner and the event log. */
  reason: string;
}

/** What agent processes confine their commands with. */
export type SandboxPlan = BwrapPlan | NoSandboxPlan;

/** One confined spawn: what runs, where, and what it gets beyond its clone. */
export interface ConfineRequest {
  role: SandboxRole;
  /** The working directory: the agent's clone, mounted read-write at the same path. */
  cwd: string;
  /** Mount `cwd` read-only instead (a reviewer reads the author's clone and changes nothing). */
  cwdReadOnly?: boolean;
  /** More read-only paths (a vendor CLI's installation). */
  readable?: readonly string[];
  /** More read-write paths (a job's checkpoint dir, a vendor CLI's config dir). */
  writable?: readonly string[];
  /**
   * The `host:port` model endpoints a `cli` process may reach under `network: model` (its
   * `baseUrl`, else its vendor's API hosts); nothing else on the network is reachable.
   */
  endpoints?: readonly string[];
  /** The model bridge's socket dir for those endpoints (model-bridge.ts); without it, no network. */
  bridge?: string;
  /** Device nodes to pass through (a job's /dev/nvidia*). */
  devices?: readonly string[];
}

/**
 * What network a process of `role` gets under `mode`: `all` (the host's), `endpoints` (its own
 * namespace with loopback only, plus the model bridge to its declared endpoints), or `none`.
 */
export function networkAccess(
  mode: NetworkMode,
  role: SandboxRole,
): "all" | "endpoints" | "none" {
  if (mode === "on") return "all";
  if (mode === "off") return "none";
  return role === "cli" ? "endpoints" : "none";
}

/** What running without a sandbox gives up, said loudly at start and in `doctor`. */
export const UNSANDBOXED_WARNING =
  "agents' commands run unsandboxed: they can read every file you can (other clones, the hub, ~/.ssh), see every process, write into the hub directly and use the network";
