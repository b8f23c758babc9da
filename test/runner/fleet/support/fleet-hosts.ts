/**
 * One network of hosts for several cross-host scenarios (fleet-scenarios.integration.test.ts):
 * the namespaces (netns.ts) and the hub's sshd (ssh-hub.ts) are made once, each scenario's fleet
 * gets its own hub repository on it, and every `gitswarm run` started here is tracked so the
 * file's afterAll can end them all and check that nothing is left: no namespace, no process.
 */
import { chmod, mkdir, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import {
  agentPids,
  GITSWARM_BIN,
  killEverything,
  runnerPids,
  startRunCommand,
  type RunningSwarm,
} from "../../support/cli-run.js";
import { waitUntil } from "../../support/wait.js";
import { createFleet, type Fleet, type FleetOptions } from "./fleet-fixture.js";
import { createNetwork, HUB_ADDRESS, runTool, type Network } from "./netns.js";
import { HUB_USER, startSshHub, type SshHubServer } from "./ssh-hub.js";
import { makeTempDir } from "../../../support/temp-dir.js";

export interface FleetHosts {
  network: Network;
  ssh: SshHubServer;
  /** The fleets, by the name given to `createFleetHosts`, each with one checkout per host. */
  fleets: Map<string, { fleet: Fleet; dirs: Map<string, string> }>;
  /** Starts `gitswarm run --json` on `host` in that fleet's checkout (its own TMPDIR in it). */
  run(
    fleet: string,
    host: string,
    env?: Record<string, string>,
  ): Promise<RunningSwarm>;
  /** SIGKILLs every process in a host's namespace (the runner, its agents, its ssh master) until none is left. */
  killHost(host: string): Promise<void>;
  /** Waits until no process is left in each host's namespace. */
  settled(hosts: readonly string[]): Promise<void>;
  /** Ends every run, removes the namespaces, and checks that none of them is left. */
  destroy(): Promise<void>;
}

/**
 * Makes the hosts, one fleet per entry of `fleets` (hub URL: ssh to the hub's address) with a
 * checkout on every host, then starts sshd in the hub's namespace with every fleet's hub.
 */
export async function createFleetHosts(
  hosts: readonly string[],
  fleets: Record<string, Omit<FleetOptions, "hubUrl">>,
): Promise<FleetHosts> {
  const network = await createNetwork(hosts);
  const runs: { run: RunningSwarm; dir: string }[] = [];
  try {
    const made = new Map<string, { fleet: Fleet; dirs: Map<string, string> }>();
    for (const [name, options] of Object.entries(fleets)) {
      const fleet = await createFleet({
        ...options,
        hubUrl: (hubDir) => `ssh://${HUB_USER}@${HUB_ADDRESS}${hubDir}`,
      });
      // Cloned from the hub's path before sshd's account owns it; runs reach it over ssh only.
      const dirs = new Map<string, string>();
      for (const host of hosts) dirs.set(host, await fleet.checkout(host));
      made.set(name, { fleet, dirs });
    }
    const sshRoot = await makeTempDir("gitswarm-sshd-");
    // sshd reads the authorized keys as the hub's account: let it through the 0700 temp dir.
    await chmod(sshRoot, 0o711);
    const ssh = await startSshHub(
      network,
      path.join(sshRoot, "sshd"),
      [...made.values()].map(({ fleet }) => fleet.hubDir),
    );
    return {
      network,
      ssh,
      fleets: made,
      async run(name, host, env = {}) {
        const dir = made.get(name)?.dirs.get(host);
        if (dir === undefined)
          throw new Error(`no checkout of ${name} on ${host}`);
        // The runner's temp files (its ssh socket, device leases) stay inside the fleet's folder.
        const tmp = `${dir}-tmp`;
        await mkdir(tmp, { recursive: true });
        const { file, args } = network.onHost(host, [
          process.execPath,
          GITSWARM_BIN,
          "run",
          "--repo",
          dir,
          "--json",
        ]);
        const run = startRunCommand(file, args, {
          GIT_SSH_COMMAND: ssh.sshCommand,
          TMPDIR: tmp,
          ...env,
        });
        runs.push({ run, dir });
        return run;
      },
      async killHost(host) {
        // An agent's sandbox has namespaces of its own (bwrap): found as descendants, or by cwd.
        // Again until none is left: a child forked after a listing would outlive its dead parent
        // and go on working, which a dead host never does.
        const deadline = Date.now() + 30_000;
        for (;;) {
          const doomed = new Set([
            ...(await withDescendants(await network.pids(host))),
            ...(await pidsWorkingIn(checkoutsOn(made, host))),
          ]);
          if (doomed.size === 0) return;
          if (Date.now() > deadline)
            throw new Error(
              `${host}: processes left after SIGKILL: ${[...doomed].join(" ")}`,
            );
          for (const pid of doomed)
            try {
              process.kill(pid, "SIGKILL");
            } catch {
              // gone already
            }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      async settled(names) {
        for (const host of names)
          await waitUntil(
            async () =>
              (await network.pids(host)).length === 0 &&
              (await pidsWorkingIn(checkoutsOn(made, host))).length === 0,
            15_000,
            `${host}'s namespace to be empty`,
          );
      },
      destroy: () => destroyAll(network, runs, made),
    };
  } catch (error) {
    await destroyAll(network, runs, new Map());
    throw error;
  }
}

/** Every checkout (and its temp dir) of any fleet on `host`. */
function checkoutsOn(
  fleets: Map<string, { dirs: Map<string, string> }>,
  host: string,
): string[] {
  return [...fleets.values()].flatMap(({ dirs }) => {
    const dir = dirs.get(host);
    return dir === undefined ? [] : [dir, `${dir}-tmp`];
  });
}

/** `pids` and every process below them (Linux /proc), read before anything is killed. */
async function withDescendants(pids: readonly number[]): Promise<number[]> {
  const parent = new Map<number, number>();
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid …: the command may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (Number.isInteger(ppid)) parent.set(Number(entry), ppid);
  }
  const all = new Set(pids);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent)
      if (all.has(ppid) && !all.has(pid)) {
        all.add(pid);
        grew = true;
      }
  }
  return [...all];
}

/** Processes whose working directory is inside one of `dirs` (Linux /proc). */
async function pidsWorkingIn(dirs: readonly string[]): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => "");
    if (dirs.some((dir) => cwd === dir || cwd.startsWith(`${dir}/`)))
      pids.push(Number(entry));
  }
  return pids;
}

async function destroyAll(
  network: Network,
  runs: { run: RunningSwarm; dir: string }[],
  fleets: Map<string, { dirs: Map<string, string> }>,
): Promise<void> {
  for (const { run, dir } of runs) await killEverything(run, dir);
  await network.destroy();
  // What outlived its runner (a sandboxed agent command has a namespace of its own): a failure.
  const dirs = [...network.hosts.keys()].flatMap((h) => checkoutsOn(fleets, h));
  const stray = await pidsWorkingIn(dirs);
  for (const pid of stray)
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  expect(stray, "processes left in the checkouts").toEqual([]);
  for (const { dir } of runs) {
    expect(await runnerPids(dir), `a runner left on ${dir}`).toEqual([]);
    expect(await agentPids(dir), `an agent left on ${dir}`).toEqual([]);
  }
  const ours = [network.hub, ...network.hosts.values()];
  const left = (await runTool("/usr/sbin/ip", ["netns", "list"]))
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => ours.includes(name));
  expect(left, "namespaces left behind").toEqual([]);
  // The veths lived in those namespaces: none may have landed in this one.
  const links = await runTool("/usr/sbin/ip", ["-o", "link", "show"]);
  for (const host of network.hosts.keys())
    expect(links, "a veth left behind").not.toContain(`v-${host}@`);
}
