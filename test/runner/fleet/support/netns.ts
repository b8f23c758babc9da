/**
 * Hosts as Linux network namespaces (issue 24's cross-host tests): a hub namespace with a bridge,
 * and any number of host namespaces each joined to it by a veth pair, so every host reaches the hub
 * at one address over a real network stack (the hub's server is in ssh-hub.ts). A host's link can be cut and restored (an outage); `destroy` kills every
 * process left in the namespaces and deletes them (their veths go with them). Needs root and
 * iproute2; `netnsUnavailable` says why not where they are missing.
 */
import { randomBytes } from "node:crypto";
import { access } from "node:fs/promises";
import { runTool, SSHD } from "../../../../scripts/bench/sshd.js";

export { runTool };

const IP = "/usr/sbin/ip";
/** The hub's address, the same from every host. */
export const HUB_ADDRESS = "10.77.0.1";

/** The tools the ssh hub (ssh-hub.ts) needs besides iproute2. */
const SSH_TOOLS = [
  SSHD,
  "/usr/bin/ssh",
  "/usr/bin/ssh-keygen",
  "/usr/sbin/useradd",
];

/**
 * Why namespaces cannot be made here (not root, no iproute2, no permission, one of `tools` missing:
 * by default the ssh hub's), or undefined.
 */
export async function netnsUnavailable(
  tools: readonly string[] = SSH_TOOLS,
): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "not root: ip netns needs root";
  for (const tool of [IP, "/usr/bin/unshare", ...tools])
    if (!(await exists(tool))) return `${tool} is not installed`;
  const probe = `gswprobe${randomBytes(3).toString("hex")}`;
  try {
    await runTool(IP, ["netns", "add", probe]);
  } catch (error) {
    return `cannot create a network namespace: ${(error as Error).message}`;
  }
  await runTool(IP, ["netns", "del", probe]).catch(() => undefined);
  return undefined;
}

export interface Network {
  /** The hub's namespace name. */
  hub: string;
  /** Namespace name per host. */
  hosts: Map<string, string>;
  /** Runs `argv` in a host's namespace, in a UTS namespace of its own named after the host. */
  onHost(host: string, argv: string[]): { file: string; args: string[] };
  /** Takes a host's link to the hub down (true) or up again (false). */
  cut(host: string, down: boolean): Promise<void>;
  /** Pids of every process in a host's (or the hub's) namespace. */
  pids(host: string): Promise<number[]>;
  destroy(): Promise<void>;
}

/** Makes the hub namespace and one namespace per host, joined by a bridge. */
export async function createNetwork(
  hosts: readonly string[],
): Promise<Network> {
  const tag = randomBytes(3).toString("hex");
  const hub = `gsw-${tag}-hub`;
  const names = new Map(hosts.map((h) => [h, `gsw-${tag}-${h}`]));
  const made: string[] = [];
  const network: Network = {
    hub,
    hosts: names,
    onHost(host, argv) {
      const ns = names.get(host) ?? host;
      return {
        file: IP,
        args: [
          "netns",
          "exec",
          ns,
          "unshare",
          "--uts",
          "sh",
          "-c",
          `hostname ${host} && exec "$0" "$@"`,
          ...argv,
        ],
      };
    },
    async cut(host, down) {
      await runTool(IP, [
        "-n",
        hub,
        "link",
        "set",
        `v-${host}`,
        down ? "down" : "up",
      ]);
    },
    async pids(host) {
      const ns = host === "hub" ? hub : (names.get(host) ?? host);
      const out = await runTool(IP, ["netns", "pids", ns]).catch(() => "");
      return out
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map(Number);
    },
    async destroy() {
      for (const ns of made) {
        const out = await runTool(IP, ["netns", "pids", ns]).catch(() => "");
        for (const pid of out.split("\n").filter((l) => l.trim() !== ""))
          try {
            process.kill(Number(pid), "SIGKILL");
          } catch {
            // gone already
          }
      }
      for (const ns of made)
        await runTool(IP, ["netns", "del", ns]).catch(() => undefined);
    },
  };
  try {
    for (const ns of [hub, ...names.values()]) {
      await runTool(IP, ["netns", "add", ns]);
      made.push(ns);
      await runTool(IP, ["-n", ns, "link", "set", "lo", "up"]);
    }
    await runTool(IP, ["-n", hub, "link", "add", "br0", "type", "bridge"]);
    await runTool(IP, [
      "-n",
      hub,
      "addr",
      "add",
      `${HUB_ADDRESS}/24`,
      "dev",
      "br0",
    ]);
    await runTool(IP, ["-n", hub, "link", "set", "br0", "up"]);
    let octet = 2;
    for (const [host, ns] of names) {
      const port = `v-${host}`;
      await runTool(IP, [
        "link",
        "add",
        "eth0",
        "netns",
        ns,
        "type",
        "veth",
        "peer",
        "name",
        port,
        "netns",
        hub,
      ]);
      await runTool(IP, ["-n", hub, "link", "set", port, "master", "br0"]);
      await runTool(IP, ["-n", hub, "link", "set", port, "up"]);
      await runTool(IP, [
        "-n",
        ns,
        "addr",
        "add",
        `10.77.0.${octet++}/24`,
        "dev",
        "eth0",
      ]);
      await runTool(IP, ["-n", ns, "link", "set", "eth0", "up"]);
    }
  } catch (error) {
    await network.destroy();
    throw error;
  }
  return network;
}

/** Whether a file exists. */
export async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
