/**
 * The hub's git server for the cross-host tests: a real sshd in the hub's network namespace
 * (netns.ts) with a fresh host key and one authorized client key, logging in as a git account.
 */
import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { runProcess } from "../../../../coordination/base/spawn.js";
import { HUB_ADDRESS, runTool, SSHD, type Network } from "./netns.js";

const IP = "/usr/sbin/ip";
/**
 * The account git logs in as on the hub, as on a real git server (`git@`): a plain /bin/sh, so a
 * session runs git-upload-pack / git-receive-pack and nothing of root's shell start-up files.
 */
export const HUB_USER = "gitswarm-hub";

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
    await runTool("/usr/sbin/useradd", [
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
  await runTool("/usr/sbin/usermod", ["--password", "*", HUB_USER]);
  for (const repo of repos) {
    await runTool("/usr/bin/chown", ["-R", HUB_USER, repo]);
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
    await runTool("/usr/bin/ssh-keygen", [
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
