/**
 * `npm run bench -- ssh`: gitswarm against a hub served by a real sshd (on a localhost port, so no
 * network delay: what remains is ssh's own handshake and git's sessions). Issue 24's figures:
 *   (a) claims per second of 3 hosts × 4 agents racing on distinct tasks, each host's agents
 *       sharing one ControlMaster as a runner's do, against a raw `git push` over the same hub
 *       (a fresh connection each, as plain git does);
 *   (b) the fleet benchmark's run (fleet.ts: BENCH_FLEET_TASKS one-second tasks, one runner) over
 *       ssh against the same run on the hub's path, and the ssh connections sshd accepted per
 *       landed task (target <= 3; the clone's one included).
 * Needs root and OpenSSH's server; says so and measures nothing without them.
 */
import { createServer } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cloneWorkspace } from "../../coordination/git/hub.js";
import { parseSshHub, startSshMux } from "../../coordination/git/ssh-mux.js";
import { agentIdentity, fetchMain } from "../../coordination/git/workspace.js";
import { seededHub } from "./claims.js";
import { runFleet, TASKS } from "./fleet.js";
import {
  giveToHubUser,
  type Sshd,
  sshdUnavailable,
  startSshd,
} from "./sshd.js";
import { startWorker, stopWorkers, type Worker } from "./worker-pool.js";

const HOSTS = 3;
const AGENTS_PER_HOST = 4;
const CLAIMS_PER_AGENT = Number(process.env.BENCH_SSH_CLAIMS ?? "4");
const RAW_PUSHES = 10;

/** Runs both measurements against one sshd; the lines to print. */
export async function benchSsh(): Promise<string[]> {
  const why = await sshdUnavailable();
  if (why !== undefined) return [`ssh: skipped (${why})`];
  const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-bench-ssh-"));
  const sshd = await startSshd({
    dir: path.join(root, "sshd"),
    address: "127.0.0.1",
    port: await freePort(),
    repos: [],
  });
  const previous = process.env.GIT_SSH_COMMAND;
  // This process's own clones and pushes (not the workers') reach the hub with the bench's key.
  process.env.GIT_SSH_COMMAND = sshd.sshCommand;
  try {
    return [
      `ssh (a real sshd on localhost: every figure is ssh and git, no network delay):`,
      ...(await claimsOverSsh(sshd, root)),
      ...(await runOverSsh(sshd)),
    ];
  } finally {
    if (previous === undefined) delete process.env.GIT_SSH_COMMAND;
    else process.env.GIT_SSH_COMMAND = previous;
    await sshd.stop();
    await rm(root, { recursive: true, force: true });
  }
}

/** (a): claims/s of 3 hosts × 4 agents over ssh, and a raw push's rate over the same hub. */
async function claimsOverSsh(sshd: Sshd, root: string): Promise<string[]> {
  const agents = HOSTS * AGENTS_PER_HOST;
  const { hubDir, ids } = await seededHub(
    path.join(root, "claims"),
    agents * CLAIMS_PER_AGENT,
  );
  await giveToHubUser(hubDir);
  const url = sshd.url(hubDir);
  const hub = parseSshHub(url);
  if (hub === undefined) throw new Error(`not an ssh URL: ${url}`);
  const muxes = await Promise.all(
    Array.from({ length: HOSTS }, (_, h) =>
      startSshMux(hub, sshd.sshCommand, { owner: `bench-host-${h}` }),
    ),
  );
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < agents; i += 1) {
      const ws = await cloneWorkspace(url, path.join(root, `agent-${i}`), {
        identity: agentIdentity(`agent-${i}`),
      });
      const mux = muxes[i % HOSTS];
      workers.push(
        startWorker(ws.dir, `agent-${i}`, {
          GIT_SSH_COMMAND: mux?.sshCommand ?? sshd.sshCommand,
        }),
      );
    }
    // Loaded and fetched before the clock starts: we time claims, not node start-up.
    await Promise.all(workers.map((w) => w.send("fetch")));
    const started = performance.now();
    const answers = await Promise.all(
      workers.map((w, i) =>
        w.send(
          `claim-all ${ids.slice(i * CLAIMS_PER_AGENT, (i + 1) * CLAIMS_PER_AGENT).join(",")}`,
        ),
      ),
    );
    const ms = performance.now() - started;
    const won = answers.flatMap((a) => (a.won as string[] | undefined) ?? []);
    if (new Set(won).size !== won.length)
      throw new Error(`a task was claimed twice: ${won.join(" ")}`);
    const claimsPerS = (won.length * 1000) / ms;
    const pushMs = await rawPushMedian(url, path.join(root, "raw"));
    const pushesPerS = 1000 / pushMs;
    return [
      `  ${HOSTS} hosts x ${AGENTS_PER_HOST} agents (one ControlMaster per host): ${won.length} claims in ${(ms / 1000).toFixed(2)} s = ${claimsPerS.toFixed(2)} claims/s`,
      `  raw git push over the same hub, one at a time, a fresh connection each: median ${pushMs.toFixed(0)} ms = ${pushesPerS.toFixed(2)} pushes/s`,
      `  claims/s over raw pushes/s: ${(claimsPerS / pushesPerS).toFixed(2)}x`,
    ];
  } finally {
    await stopWorkers(workers);
    await Promise.all(muxes.map((m) => m?.stop()));
  }
}

/** The median of RAW_PUSHES timed pushes of a one-file commit from a clone of `url`. */
async function rawPushMedian(url: string, dir: string): Promise<number> {
  const raw = await cloneWorkspace(url, dir, {
    identity: agentIdentity("raw"),
  });
  const times: number[] = [];
  for (let i = 0; i < RAW_PUSHES; i += 1) {
    await fetchMain(raw);
    await raw.git.run(["reset", "--quiet", "--hard", "origin/main"]);
    await writeFile(path.join(dir, "raw.txt"), `push ${i}\n`);
    await raw.git.run(["add", "raw.txt"]);
    await raw.git.run(["commit", "--quiet", "-m", `raw ${i}`]);
    const started = performance.now();
    await raw.git.run(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** (b): the fleet run over ssh against the same run on the hub's path; connections per task. */
async function runOverSsh(sshd: Sshd): Promise<string[]> {
  const local = await runFleet(1);
  const before = total(await sshd.accepted());
  const overSsh = await runFleet(1, {
    url: (hubDir) => sshd.url(hubDir),
    serve: giveToHubUser,
    env: { GIT_SSH_COMMAND: sshd.sshCommand },
  });
  const connections = total(await sshd.accepted()) - before;
  return [
    `  ${TASKS} one-second tasks, 1 runner: ${(local.ms / 1000).toFixed(1)} s on the hub's path, ${(overSsh.ms / 1000).toFixed(1)} s over ssh = ${(overSsh.ms / local.ms).toFixed(2)}x (target <= 1.5x)`,
    `  ssh connections over the run: ${connections} = ${(connections / TASKS).toFixed(2)} per landed task (target <= 3; the clone's included)`,
  ];
}

function total(counts: Map<string, number>): number {
  return [...counts.values()].reduce((sum, n) => sum + n, 0);
}

/** A TCP port free on localhost now (the kernel's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}
