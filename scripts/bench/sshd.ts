/**
 * A real OpenSSH server for a git hub, as a git host runs one: a fresh host key, one authorized
 * client key, and a `git@`-like account whose shell is /bin/sh. The ssh benchmark (ssh.ts) runs it
 * on a localhost port; the cross-host tests (test/runner/fleet/support/ssh-hub.ts) run it inside
 * the hub's network namespace through `launch`. Needs root (the account, sshd's privilege
 * separation).
 */
import { access, chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { decode, runProcess } from "../../coordination/base/spawn.js";

/** The OpenSSH server binary. */
export const SSHD = "/usr/sbin/sshd";
/**
 * The account git logs in as on the hub, as on a real git server (`git@`): a plain /bin/sh, so a
 * session runs git-upload-pack / git-receive-pack and nothing of root's shell start-up files.
 */
export const HUB_USER = "gitswarm-hub";

/** A running sshd serving git repositories to one client key. */
export interface Sshd {
  /** `ssh://gitswarm-hub@ADDRESS[:PORT]/<path>` for a repository at `path` on the file system. */
  url(repoPath: string): string;
  /** GIT_SSH_COMMAND for a client: the generated key, no host-key prompt. */
  sshCommand: string;
  /** Connections sshd accepted, by client address. */
  accepted(): Promise<Map<string, number>>;
  /** The last lines of sshd's log (for a failing test's message). */
  logTail(): Promise<string>;
  /** Stops the listener (sessions already open end with their clients). */
  stop(): Promise<void>;
}

/** Where and how to start sshd. */
export interface SshdOptions {
  /** A folder for its keys, config, pid file and log. */
  dir: string;
  address: string;
  /** Default 22. */
  port?: number;
  /** Repositories the hub account is given (owner, and a path through 0700 temp dirs). */
  repos: readonly string[];
  /** A command prefix sshd runs under, e.g. `ip netns exec hub`. */
  launch?: readonly string[];
}

/** Why sshd cannot run here (not root, a tool missing), or undefined. */
export async function sshdUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "needs root";
  for (const tool of [SSHD, "/usr/bin/ssh-keygen", "/usr/sbin/useradd"])
    if (
      !(await access(tool).then(
        () => true,
        () => false,
      ))
    )
      return `${tool} is missing`;
  return undefined;
}

/** Runs a system tool; throws with its stderr when it fails. */
export async function runTool(file: string, args: string[]): Promise<string> {
  const result = await runProcess(file, args, { cwd: "/", timeoutMs: 30_000 });
  if (result.exitCode !== 0)
    throw new Error(
      `${file} ${args.join(" ")} failed: ${decode(result.stderr).trim()}`,
    );
  return decode(result.stdout);
}

/** Starts sshd and resolves once it listens. */
export async function startSshd(options: SshdOptions): Promise<Sshd> {
  const { dir, address, repos } = options;
  await ensureHubUser();
  for (const repo of repos) await giveToHubUser(repo);
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
  const authorized = path.join(dir, "authorized_keys");
  await writeFile(authorized, await readFile(`${clientKey}.pub`));
  // sshd reads it as the account logging in.
  await letHubUserThrough(authorized);
  const config = path.join(dir, "sshd_config");
  await writeFile(config, sshdConfig(options, hostKey));
  const log = path.join(dir, "sshd.log");
  const pidFile = path.join(dir, "sshd.pid");
  // sshd puts itself in the background once its config is read; an error in it is its exit code.
  const [file = SSHD, ...prefix] = [...(options.launch ?? []), SSHD];
  const started = await runProcess(file, [...prefix, "-f", config, "-E", log], {
    cwd: "/",
    timeoutMs: 30_000,
  });
  if (started.exitCode !== 0)
    throw new Error(
      `sshd did not start on ${address}: ${decode(started.stderr)}${await readFile(log, "utf8").catch(() => "")}`,
    );
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
    if (Date.now() > deadline) {
      // It forked already: a daemon that never listens is stopped, not left behind.
      await stopDaemon(pidFile);
      throw new Error(`sshd did not start on ${address}:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const host =
    options.port === undefined ? address : `${address}:${options.port}`;
  return {
    url: (repoPath) => `ssh://${HUB_USER}@${host}${repoPath}`,
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
    // The listener goes; sessions already open end with their clients.
    stop: () => stopDaemon(pidFile),
  };
}

async function stopDaemon(pidFile: string): Promise<void> {
  const pid = Number(await readFile(pidFile, "utf8").catch(() => ""));
  if (!(pid > 0)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    // Gone already.
  }
}

/** Gives the repository at `repo` to the hub's account (made by `startSshd`). */
export async function giveToHubUser(repo: string): Promise<void> {
  await runTool("/usr/bin/chown", ["-R", HUB_USER, repo]);
  await letHubUserThrough(repo);
}

/** Temp dirs are 0700: lets the hub's account through the folders above `file` to reach it. */
async function letHubUserThrough(file: string): Promise<void> {
  for (
    let up = path.dirname(file);
    up !== "/" && up !== "/tmp";
    up = path.dirname(up)
  )
    await chmod(up, 0o711);
}

function sshdConfig(options: SshdOptions, hostKey: string): string {
  const { dir, address, port } = options;
  return [
    `ListenAddress ${address}${port === undefined ? "" : `:${port}`}`,
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
  ].join("\n");
}

/** Makes the hub's account once per machine: no password ('*'), but a key login works. */
async function ensureHubUser(): Promise<void> {
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
      // Another process made it meanwhile.
      const again = await runProcess("/usr/bin/id", [HUB_USER], { cwd: "/" });
      if (again.exitCode !== 0) throw error;
    });
  // '*', not locked ('!'): sshd refuses a locked account even a key login.
  await runTool("/usr/sbin/usermod", ["--password", "*", HUB_USER]);
}
