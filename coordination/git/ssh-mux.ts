/**
 * One ssh connection per run to an ssh hub (issue 24): the runner's and its agents' fetches and
 * pushes ride a ControlMaster that this module starts and ends, instead of a full ssh handshake each
 * (about 12 per task). The master is started detached (base/spawn-detached.ts: stdio on /dev/null,
 * its own process group), watched and started again when it dies (a hub outage ends it through
 * ServerAliveInterval), and ended with `ssh -O exit` when the run ends. Git's ssh calls name its
 * socket with ControlMaster=no: while no master listens they connect on their own, so a dead
 * master costs a handshake, never a failure.
 */
import { rmSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { backoffDelayMs, sleep } from "./backoff.js";
import { runProcess } from "../base/spawn.js";
import { startDetached, type DetachedProcess } from "../base/spawn-detached.js";

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

/** The ssh command git's calls use to ride the master at `socket` (and connect alone without it). */
export function muxClientCommand(base: string, socket: string): string {
  return `${base} -o ControlMaster=no -o ControlPath=${shellQuote(socket)}`;
}

/** A run's shared connection to its ssh hub. */
export interface SshMux {
  /** The GIT_SSH_COMMAND for every git call of the run (runner and agents). */
  sshCommand: string;
  /** How many masters were started (1, plus one per restart after the connection died). */
  starts(): number;
  /** Ends the master (`ssh -O exit`, then its process group) and removes its socket's folder. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

/**
 * Starts the shared connection to `hub` with `base` (the user's ssh command) and waits until it
 * listens. Undefined when it could not be made (the hub unreachable now, ssh missing): git's calls
 * then connect on their own, as without this module.
 */
export async function startSshMux(
  hub: SshHub,
  base: string,
): Promise<SshMux | undefined> {
  // A short path: a unix socket's path is limited to about 100 bytes.
  const dir = await mkdtemp(path.join(os.tmpdir(), "gsw-ssh-"));
  const socket = path.join(dir, "hub");
  const target = [
    ...(hub.port === undefined ? [] : ["-p", hub.port]),
    shellQuote(hub.destination),
  ].join(" ");
  const control = (op: string) =>
    runProcess(`${base} -S ${shellQuote(socket)} -O ${op} ${target}`, [], {
      cwd: dir,
      shell: true,
      timeoutMs: 10_000,
    }).catch(() => undefined);
  const masterLine =
    `exec ${base} -M -N -S ${shellQuote(socket)} -o ControlPersist=no ` +
    `-o ServerAliveInterval=5 -o ServerAliveCountMax=3 -o ConnectTimeout=10 ${target}`;
  let master: DetachedProcess | undefined;
  let started = 0;
  let stopped = false;
  // Ends the restart loop's waits at once, so a stopped mux keeps no timer (and no process) alive.
  const quit = new AbortController();
  const killNow = () => {
    if (master !== undefined) signalGroup(master.pid, "SIGTERM");
  };
  const startMaster = (): DetachedProcess => {
    started += 1;
    // A socket left by a master that was killed would pass for a listening one.
    rmSync(socket, { force: true });
    const proc = startDetached(masterLine, [], { cwd: dir, shell: true });
    master = proc;
    void proc.exited.then(async () => {
      // Died mid-run (the hub went away): start again, spaced out, until the run ends.
      for (let round = 0; !stopped && master === proc; round += 1) {
        const waited = await sleep(
          backoffDelayMs(round, 1000, 10_000),
          quit.signal,
        ).then(
          () => true,
          () => false,
        );
        if (!waited || stopped || master !== proc) return;
        const next = startMaster();
        if (await listening(socket, next, READY_TIMEOUT_MS, quit.signal))
          return;
      }
    });
    return proc;
  };
  const first = startMaster();
  if (!(await listening(socket, first, READY_TIMEOUT_MS))) {
    stopped = true;
    quit.abort();
    killNow();
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
  // However this process ends, the master does not outlive it.
  process.once("exit", killNow);
  return {
    sshCommand: muxClientCommand(base, socket),
    starts: () => started,
    async stop() {
      if (stopped) return;
      stopped = true;
      quit.abort();
      process.removeListener("exit", killNow);
      await control("exit");
      const last = master;
      if (last !== undefined) {
        const ended = await Promise.race([
          last.exited.then(() => true),
          sleep(2000).then(() => false),
        ]);
        if (!ended) signalGroup(last.pid, "SIGKILL");
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls for the master's socket until it appears (true), the master exits or the time is up. */
async function listening(
  socket: string,
  master: DetachedProcess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  let exited = false;
  void master.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (!exited && Date.now() < deadline && signal?.aborted !== true) {
    const found = await stat(socket).catch(() => undefined);
    if (found?.isSocket() === true) return true;
    await sleep(50, signal).catch(() => undefined);
  }
  return false;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
