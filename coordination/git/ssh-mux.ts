/**
 * One ssh connection per run to an ssh hub (issue 24): the runner's and its agents' fetches and
 * pushes ride a ControlMaster instead of a full ssh handshake each (about 12 per task). The master
 * is ssh's own ControlPersist master: started before the run's first git call, it puts itself in
 * the background and lives on only while git calls use it, plus an idle time (60 s) after the
 * last one, so a master whose runner was SIGKILLed ends by itself. Git's calls name its socket
 * with ControlMaster=auto: when no master listens (the hub went away and took it, or it idled
 * out) the next call becomes the master again, so a dead master costs a handshake, never a
 * failure. A run ends its master with `ssh -O exit`; the next start of the same runner ends a
 * master its SIGKILLed predecessor left (and removes that socket's folder).
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sleep } from "./backoff.js";
import { decode, runProcess } from "../base/spawn.js";
/** Where an ssh hub is: what ssh connects to (`[user@]host`) and the port, when the URL names one. */
export interface SshHub {
  destination: string;
  port?: string;
}

/**
 * The ssh destination of a hub URL: `ssh://[user@]host[:port]/path` (and git's `git+ssh://`,
 * `ssh+git://`) or scp-like `[user@]host:path`; undefined for a local path, `file://`, `http(s)://`
 * and anything else. Pure.
 */
export function parseSshHub(url: string): SshHub | undefined {
  const full =
    /^(?:ssh|git\+ssh|ssh\+git):\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\//.exec(
      url,
    );
  if (full !== null) {
    const host = (full[2] ?? "").replace(/^\[(.*)\]$/, "$1");
    const destination = full[1] === undefined ? host : `${full[1]}@${host}`;
    return full[3] === undefined
      ? { destination }
      : { destination, port: full[3] };
  }
  // git's rule: a colon before any slash, and not a URL scheme.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return undefined;
  const scp = /^((?:[^@/:]+@)?(?:\[[^\]]+\]|[^:/[\]]+)):/.exec(url);
  if (scp === null || /^[A-Za-z]$/.test(scp[1] ?? "")) return undefined;
  return { destination: (scp[1] ?? "").replace(/\[(.*)\]$/, "$1") };
}

/** Quotes a word for the shell that runs GIT_SSH_COMMAND. Pure. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(word)
    ? word
    : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How long a master with no git call on it stays (ControlPersist): an orphan's whole life. */
export const MASTER_IDLE_SECONDS = 60;

/**
 * The options every ssh of the run shares: the socket, the idle time, and keep-alives that end a
 * master whose hub went away (15 s of silence). Pure.
 */
function sharedOptions(socket: string, idleSeconds: number): string {
  return [
    `-o ControlPath=${shellQuote(socket)}`,
    `-o ControlPersist=${idleSeconds}s`,
    "-o ServerAliveInterval=5",
    "-o ServerAliveCountMax=3",
  ].join(" ");
}

/**
 * The ssh command git's calls use: ride the master at `socket`, or become it (in the background,
 * for `idleSeconds` past its last use) when none listens. Pure.
 */
export function muxClientCommand(
  base: string,
  socket: string,
  idleSeconds = MASTER_IDLE_SECONDS,
): string {
  return `${base} -o ControlMaster=auto ${sharedOptions(socket, idleSeconds)}`;
}

/** The command that starts the master: it returns once the master listens, in the background. */
export function muxMasterCommand(
  base: string,
  socket: string,
  target: string,
  idleSeconds = MASTER_IDLE_SECONDS,
): string {
  return `${base} -M -N ${sharedOptions(socket, idleSeconds)} -o ConnectTimeout=10 ${target}`;
}

/**
 * The prefix of the socket folders of one runner (`owner`: its runner id) in the temp dir: short
 * (a unix socket's path is limited to about 100 bytes) and the same on every start. Pure.
 */
export function socketDirPrefix(owner: string): string {
  return `gsw-ssh-${createHash("sha256").update(owner).digest("hex").slice(0, 10)}-`;
}

/** A run's shared connection to its ssh hub. */
export interface SshMux {
  /** The GIT_SSH_COMMAND for every git call of the run (runner and agents). */
  sshCommand: string;
  /** Ends the master (`ssh -O exit`; SIGKILL if it stays) and removes its socket's folder. */
  stop(): Promise<void>;
}

/** What a mux is started with besides the hub and the user's ssh command. */
export interface SshMuxOptions {
  /** The runner's id: its next start ends the master and folder this one leaves when killed. */
  owner?: string;
  /** ControlPersist's idle time (default {@link MASTER_IDLE_SECONDS}). */
  idleSeconds?: number;
}

/**
 * Starts the shared connection to `hub` with `base` (the user's ssh command) and waits until it
 * listens. Undefined when it could not be made (the hub unreachable now, ssh missing): git's calls
 * then connect on their own, as without this module.
 */
export async function startSshMux(
  hub: SshHub,
  base: string,
  options: SshMuxOptions = {},
): Promise<SshMux | undefined> {
  const idle = options.idleSeconds ?? MASTER_IDLE_SECONDS;
  const target = [
    ...(hub.port === undefined ? [] : ["-p", hub.port]),
    shellQuote(hub.destination),
  ].join(" ");
  const prefix = socketDirPrefix(options.owner ?? `pid-${process.pid}`);
  if (options.owner !== undefined) await reapStale(prefix, base, target);
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const socket = path.join(dir, "hub");
  const control = (op: string) => controlMaster(base, socket, target, op);
  const started = await runProcess(
    muxMasterCommand(base, socket, target, idle),
    [],
    { cwd: dir, shell: true, timeoutMs: 30_000 },
  ).catch(() => undefined);
  if (started?.exitCode !== 0 || !(await isSocket(socket))) {
    await control("exit");
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
  // However this process ends (but SIGKILL), its master does not outlive it: the one it started
  // (one a git call started since, after an outage, idles out), its socket's folder removed.
  const first = masterPid(await control("check"));
  const endNow = () => {
    if (first !== undefined && commandLineOf(first).includes(socket))
      signal(first, "SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", endNow);
  let stopped = false;
  return {
    sshCommand: muxClientCommand(base, socket, idle),
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", endNow);
      const pid = masterPid(await control("check"));
      await control("exit");
      if (pid !== undefined) {
        for (let i = 0; i < 20 && alive(pid); i += 1) await sleep(100);
        if (alive(pid)) signal(pid, "SIGKILL");
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Ends the masters and removes the socket folders a killed earlier run of this runner left in the
 * temp dir (only this runner's: their names start with `prefix`; one run per checkout at a time).
 */
async function reapStale(
  prefix: string,
  base: string,
  target: string,
): Promise<void> {
  const tmp = os.tmpdir();
  const names = await readdir(tmp).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(prefix))) {
    const dir = path.join(tmp, name);
    const socket = path.join(dir, "hub");
    if (await isSocket(socket)) {
      const pid = masterPid(await controlMaster(base, socket, target, "check"));
      await controlMaster(base, socket, target, "exit");
      if (pid !== undefined && alive(pid)) signal(pid, "SIGKILL");
    }
    await rm(dir, { recursive: true, force: true });
  }
}

/** `ssh -S socket -O op`: its stderr (where ssh answers), or undefined when it failed. */
async function controlMaster(
  base: string,
  socket: string,
  target: string,
  op: string,
): Promise<string | undefined> {
  const result = await runProcess(
    `${base} -S ${shellQuote(socket)} -O ${op} ${target}`,
    [],
    { cwd: os.tmpdir(), shell: true, timeoutMs: 10_000 },
  ).catch(() => undefined);
  return result?.exitCode === 0 ? decode(result.stderr) : undefined;
}

/** The master's pid from `ssh -O check`'s answer ("Master running (pid=123)"). Pure. */
export function masterPid(answer: string | undefined): number | undefined {
  const pid = /Master running \(pid=(\d+)\)/.exec(answer ?? "")?.[1];
  return pid === undefined ? undefined : Number(pid);
}

async function isSocket(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isSocket() === true;
}

/** A process's command line (Linux /proc; empty where there is none). */
function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

// Which ssh this process's git calls run: the mux command once the runner or agent has set it,
// else the user's GIT_SSH_COMMAND, else ssh that never prompts (git.ts reads sshEnv).
let hubSshCommand: string | undefined;

/**
 * Routes this process's git ssh calls through `command` (ssh-mux.ts: the run's shared connection to
 * an ssh hub); undefined: back to {@link userSshCommand}.
 */
export function useHubSshCommand(command: string | undefined): void {
  hubSshCommand = command;
}

/** The ssh command git runs by default: the user's GIT_SSH_COMMAND, else ssh that never prompts. */
export function userSshCommand(): string {
  return process.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes";
}

/** GIT_SSH_COMMAND (and GIT_SSH_VARIANT with the mux) for a git process. */
export function sshEnv(): Record<string, string> {
  if (hubSshCommand === undefined) return { GIT_SSH_COMMAND: userSshCommand() };
  // The run's mux command is OpenSSH (its master started with -o Control* options) even when the
  // user's base command is a wrapper script: saying so spares git its probe of such a command
  // (`CMD -G`, one more process before each fetch and push).
  return { GIT_SSH_COMMAND: hubSshCommand, GIT_SSH_VARIANT: "ssh" };
}
