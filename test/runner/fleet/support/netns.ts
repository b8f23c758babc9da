/**
 * Hosts as Linux network namespaces (issue 24's cross-host tests): a hub namespace with a bridge,
 * and any number of host namespaces each joined to it by a veth pair, so every host reaches the hub
 * at one address over a real network stack. The hub serves its repositories through a real sshd
 * with a generated key. A host's link can be cut and restored (an outage); `destroy` kills every
 * process left in the namespaces and deletes them (their veths go with them). Needs root and
 * iproute2; `netnsUnavailable` says why not where they are missing.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { openSync } from "node:fs";
import { access, chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { decode, runProcess } from "../../../../coordination/base/spawn.js";

const IP = "/usr/sbin/ip";
const SSHD = "/usr/sbin/sshd";
/**
 * The account git logs in as on the hub, as on a real git server (`git@`): a plain /bin/sh, so a
 * session runs git-upload-pack / git-receive-pack and nothing of root's shell start-up files.
 */
export const HUB_USER = "gitswarm-hub";
/** The hub's address, the same from every host. */
export const HUB_ADDRESS = "10.77.0.1";

async function run(file: string, args: string[]): Promise<string> {
  const result = await runProcess(file, args, { cwd: "/", timeoutMs: 30_000 });
  if (result.exitCode !== 0)
    throw new Error(
      `${file} ${args.join(" ")} failed: ${decode(result.stderr).trim()}`,
    );
  return decode(result.stdout);
}

/** Why namespaces cannot be made here (not root, no iproute2, no sshd, no permission), or undefined. */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "not root: ip netns needs root";
  for (const tool of [
    IP,
    SSHD,
    "/usr/bin/ssh",
    "/usr/bin/ssh-keygen",
    "/usr/bin/unshare",
    "/usr/sbin/useradd",
  ])
    if (!(await exists(tool))) return `${tool} is not installed`;
  const probe = `gswprobe${randomBytes(3).toString("hex")}`;
  try {
    await run(IP, ["netns", "add", probe]);
  } catch (error) {
    return `cannot create a network namespace: ${(error as Error).message}`;
  }
  await run(IP, ["netns", "del", probe]).catch(() => undefined);
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
      await run(IP, [
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
      const out = await run(IP, ["netns", "pids", ns]).catch(() => "");
      return out
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map(Number);
    },
    async destroy() {
      for (const ns of made) {
        const out = await run(IP, ["netns", "pids", ns]).catch(() => "");
        for (const pid of out.split("\n").filter((l) => l.trim() !== ""))
          try {
            process.kill(Number(pid), "SIGKILL");
          } catch {
            // gone already
          }
      }
      for (const ns of made)
        await run(IP, ["netns", "del", ns]).catch(() => undefined);
    },
  };
  try {
    for (const ns of [hub, ...names.values()]) {
      await run(IP, ["netns", "add", ns]);
      made.push(ns);
      await run(IP, ["-n", ns, "link", "set", "lo", "up"]);
    }
    await run(IP, ["-n", hub, "link", "add", "br0", "type", "bridge"]);
    await run(IP, [
      "-n",
      hub,
      "addr",
      "add",
      `${HUB_ADDRESS}/24`,
      "dev",
      "br0",
    ]);
    await run(IP, ["-n", hub, "link", "set", "br0", "up"]);
    let octet = 2;
    for (const [host, ns] of names) {
      const port = `v-${host}`;
      await run(IP, [
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
      await run(IP, ["-n", hub, "link", "set", port, "master", "br0"]);
      await run(IP, ["-n", hub, "link", "set", port, "up"]);
      await run(IP, [
        "-n",
        ns,
        "addr",
        "add",
        `10.77.0.${octet++}/24`,
        "dev",
        "eth0",
      ]);
      await run(IP, ["-n", ns, "link", "set", "eth0", "up"]);
    }
  } catch (error) {
    await network.destroy();
    throw error;
  }
  return network;
}

export interface SshHubServer {
  /** `ssh://gitswarm-hub@HUB/<path>` for a repository at `path` on the (shared) file system. */
  url(repoPath: string): string;
  /** GIT_SSH_COMMAND for a client: the generated key, no host-key prompt. */
  sshCommand: string;
  /** Connections sshd accepted, by client address. */
  accepted(): Promise<Map<string, number>>;
  /** The last lines of sshd's log (for a failing test's message). */
  logTail(): Promise<string>;
}

/**
 * Starts sshd in the hub's namespace with a fresh host key and one authorized client key for
 * {@link HUB_USER} (made once per machine), who is given the repositories `repos`.
 */
export async function startSshHub(
  network: Network,
  dir: string,
  repos: readonly string[],
): Promise<SshHubServer> {
  const known = await runProcess("/usr/bin/id", [HUB_USER], { cwd: "/" });
  if (known.exitCode !== 0)
    await run("/usr/sbin/useradd", [
      "--system",
      "--no-create-home",
      "--home-dir",
      "/nonexistent",
      "--shell",
      "/bin/sh",
      HUB_USER,
    ]).catch(async (error: unknown) => {
      // Another test process made it meanwhile.
      const again = await runProcess("/usr/bin/id", [HUB_USER], { cwd: "/" });
      if (again.exitCode !== 0) throw error;
    });
  // No password ('*'), but not locked ('!'): sshd refuses a locked account even a key login.
  await run("/usr/sbin/usermod", ["--password", "*", HUB_USER]);
  for (const repo of repos) {
    await run("/usr/bin/chown", ["-R", HUB_USER, repo]);
    // Temp dirs are 0700: let the hub's account through to its repository.
    for (
      let up = path.dirname(repo);
      up !== "/" && up !== "/tmp";
      up = path.dirname(up)
    )
      await chmod(up, 0o711);
  }
  await mkdir(dir, { recursive: true });
  // Debian's sshd wants its privilege-separation dir.
  await mkdir("/run/sshd", { recursive: true });
  const hostKey = path.join(dir, "host_key");
  const clientKey = path.join(dir, "client_key");
  for (const key of [hostKey, clientKey])
    await run("/usr/bin/ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-f",
      key,
    ]);
  await writeFile(
    path.join(dir, "authorized_keys"),
    await readFile(`${clientKey}.pub`),
  );
  const config = path.join(dir, "sshd_config");
  await writeFile(
    config,
    [
      `ListenAddress ${HUB_ADDRESS}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      "StrictModes no",
      "UsePAM no",
      `AllowUsers ${HUB_USER}`,
      "PermitRootLogin no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      // A runner's agents share one connection: each git call is a session on it.
      "MaxSessions 64",
      "MaxStartups 64:30:128",
      "LogLevel INFO",
      "",
    ].join("\n"),
  );
  const log = path.join(dir, "sshd.log");
  const out = openSync(log, "a");
  const sshd = spawn(
    IP,
    ["netns", "exec", network.hub, SSHD, "-D", "-e", "-f", config],
    {
      stdio: ["ignore", out, out],
      detached: true,
    },
  );
  sshd.unref();
  const sshCommand = [
    "ssh",
    "-i",
    clientKey,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "BatchMode=yes",
    "-o",
    "LogLevel=ERROR",
  ].join(" ");
  // Ready when sshd says it listens (it logs "Server listening on ...").
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await readFile(log, "utf8").catch(() => "");
    if (text.includes("Server listening")) break;
    if (Date.now() > deadline || sshd.exitCode !== null)
      throw new Error(`sshd did not start in ${network.hub}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: (repoPath) => `ssh://${HUB_USER}@${HUB_ADDRESS}${repoPath}`,
    sshCommand,
    async logTail() {
      const text = await readFile(log, "utf8").catch(() => "");
      return text.split("\n").slice(-40).join("\n");
    },
    async accepted() {
      const text = await readFile(log, "utf8");
      const counts = new Map<string, number>();
      for (const m of text.matchAll(/Accepted publickey for \S+ from (\S+)/g))
        counts.set(m[1] ?? "", (counts.get(m[1] ?? "") ?? 0) + 1);
      return counts;
    },
  };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
