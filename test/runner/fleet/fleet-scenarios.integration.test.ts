/**
 * Issue 24's fleet scenarios, across hosts (Linux network namespaces, each with its own host name)
 * against one hub served by a real sshd in a namespace of its own. One network serves every
 * scenario (each has its own hub repository on it). In each, every task's agent run reaches its end
 * exactly once, counted in the agents' own log, not only in the check-offs:
 * - three hosts × two agents, the same config on each;
 * - a host SIGKILLed mid-task (every process in its namespace): another host takes its claims over
 *   once their lease runs out;
 * - a host cut off mid-task for longer than the lease: the hub fences its done, its work stays on
 *   its branch, and once back it works on;
 * - a GPU host and a CPU-only host: the GPU job runs only on the GPU host.
 * Short leases; nothing may be left behind (fleet-hosts.ts checks). Skips, saying why, where
 * namespaces cannot be made (not root, no iproute2 or sshd).
 */
import { execFileSync } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../support/cli-run.js";
import { waitUntil } from "../support/wait.js";
import { soakSize } from "../../support/soak-size.js";
import { fakeGpus, writeFakeNvidiaSmi } from "../jobs/support/job-fixture.js";
import { doneOnHub, workedOnce } from "./support/fleet-fixture.js";
import { createFleetHosts, type FleetHosts } from "./support/fleet-hosts.js";
import { exists, HUB_ADDRESS, netnsUnavailable } from "./support/netns.js";
import { HUB_USER } from "./support/ssh-hub.js";
import { decode, runProcess } from "../../../coordination/base/spawn.js";

const HOSTS = ["host-a", "host-b", "host-c"];
const SCALE_TASKS = soakSize(24, 9, process.env.GITSWARM_FLEET_TASKS);
const MINUTE = 60_000;
const LEASE_S = 20;
const unavailable = await netnsUnavailable();
const realGpu = (() => {
  try {
    execFileSync("sh", ["-c", "command -v nvidia-smi"]);
    return true;
  } catch {
    return false;
  }
})();

const PROJECT_DIR = fileURLToPath(new URL("../../..", import.meta.url));
// Opens a hub connection as runner 'r1' (ssh-mux.ts), prints its ssh command, then SIGKILLs itself
// (a runner killed mid-run) or stops it as a run's end does.
const MUX_THEN_DIE = `
import { parseSshHub, startSshMux } from ${JSON.stringify(new URL("../../../coordination/git/ssh-mux.ts", import.meta.url).href)};
const [url, idle, end] = process.argv.slice(2);
const mux = await startSshMux(parseSshHub(url), process.env.GIT_SSH_COMMAND, { owner: "r1", idleSeconds: Number(idle) });
if (mux === undefined) process.exit(3);
console.log("connected " + mux.sshCommand);
if (end === "kill") process.kill(process.pid, "SIGKILL");
await mux.stop();
`;

/** A claim event won by this runner on `task`. */
const won = (task: string) => (e: RunEvent) =>
  e.type === "claim" && e.task === task && e.outcome === "won";

describe.skipIf(unavailable !== undefined)(
  `a fleet of hosts, one hub over sshd${unavailable === undefined ? "" : ` (skipped: ${unavailable})`}`,
  () => {
    let hosts: FleetHosts | undefined;
    const the = (): FleetHosts => {
      if (hosts === undefined) throw new Error("no hosts");
      return hosts;
    };
    const fleetOf = (name: string) => {
      const fleet = the().fleets.get(name)?.fleet;
      if (fleet === undefined) throw new Error(`no fleet ${name}`);
      return fleet;
    };
    beforeAll(async () => {
      hosts = await createFleetHosts(HOSTS, {
        // No take-over here: a lease long enough that a loaded machine's slow heartbeat is no break.
        scale: { tasks: SCALE_TASKS, agents: 2, barrier: HOSTS, lease: "60s" },
        // Short leases for the take-overs, yet past a heartbeat on a machine at load 30 (a beat is
        // a commit and a push; one a lease apart got a live claim broken by its own runner).
        killed: { tasks: 4, agents: 2, lease: `${LEASE_S}s` },
        partitioned: {
          tasks: 5,
          agents: 1,
          lease: `${LEASE_S}s`,
          needFirst: true,
        },
        gpu: { tasks: 2, agents: 1, gpuJobs: ["gpu1"] },
      });
    }, 2 * MINUTE);
    afterAll(async () => {
      await hosts?.destroy();
    }, MINUTE);

    it(
      `three hosts × two agents, one config: ${SCALE_TASKS} tasks, each worked once`,
      async () => {
        const fleet = fleetOf("scale");
        const runs = await Promise.all(HOSTS.map((h) => the().run("scale", h)));
        const ends = await Promise.all(runs.map((run) => run.done));
        for (const [i, end] of ends.entries())
          expect(end.exitCode, JSON.stringify(runs[i]?.events.slice(-6))).toBe(
            0,
          );
        const seen = await fleet.invocations();
        expect(seen).toHaveLength(SCALE_TASKS);
        expect(workedOnce(fleet.taskIds, await fleet.finished())).toEqual({
          twice: [],
          never: [],
        });
        expect(new Set(seen.map((s) => s.host))).toEqual(new Set(HOSTS));
        expect((await doneOnHub(fleet.hubDir)).sort()).toEqual(fleet.taskIds);
        await the().settled(HOSTS);
      },
      4 * MINUTE,
    );

    it(
      "a host SIGKILLed mid-task: another host takes its claims over after their lease, nothing lost",
      async () => {
        const fleet = fleetOf("killed");
        // host-a's runs stay mid-task (claimed, heartbeating) until the host dies.
        await fleet.hold("host-a", true);
        const a = await the().run("killed", "host-a");
        const b = await the().run("killed", "host-b");
        await a.waitFor(
          (e) => e.type === "claim" && e.outcome === "won",
          2 * MINUTE,
          "host-a's first claim",
        );
        await waitUntil(
          async () =>
            (await fleet.invocations()).some((s) => s.host === "host-a"),
          2 * MINUTE,
          "host-a to be mid-task",
        );
        await the().killHost("host-a");
        await fleet.hold("host-a", false);
        await the().settled(["host-a"]);
        expect((await a.done).exitCode).not.toBe(0);

        const end = await b.done;
        expect(end.exitCode, JSON.stringify(b.events.slice(-6))).toBe(0);
        const killedOn = (await fleet.invocations())
          .filter((s) => s.host === "host-a")
          .map((s) => s.task);
        expect(killedOn.length).toBeGreaterThan(0);
        const finished = await fleet.finished();
        expect(workedOnce(fleet.taskIds, finished)).toEqual({
          twice: [],
          never: [],
        });
        expect(new Set(finished.map((s) => s.host))).toEqual(
          new Set(["host-b"]),
        );
        // The dead host's claims were broken for their lease, then claimed by host-b.
        for (const task of killedOn) {
          expect(
            b.events.some((e) => e.type === "break" && e.task === task),
            `host-b broke ${task}`,
          ).toBe(true);
          expect(b.events.some(won(task)), `host-b claimed ${task}`).toBe(true);
        }
        expect((await doneOnHub(fleet.hubDir)).sort()).toEqual(fleet.taskIds);
        await the().settled(["host-b"]);
      },
      4 * MINUTE,
    );

    it(
      "a host cut off mid-task for longer than the lease: its done is fenced, its work kept on its branch, it rejoins",
      async () => {
        const fleet = fleetOf("partitioned");
        const net = the().network;
        // Every other task needs t01: host-a claims it, and nothing else can start before it is done.
        await fleet.hold("host-a", true);
        const a = await the().run("partitioned", "host-a");
        await a.waitFor(won("t01"), 2 * MINUTE, "host-a's claim on t01");
        const b = await the().run("partitioned", "host-b");
        await waitUntil(
          async () =>
            (await fleet.invocations()).some((s) => s.host === "host-a"),
          MINUTE,
          "host-a to be mid-task",
        );
        await net.cut("host-a", true);
        const cutAt = Date.now();
        // Its work ends while it is cut off; it cannot land before the link is back.
        await fleet.hold("host-a", false);
        await b.waitFor(won("t01"), 2 * MINUTE, "host-b's take-over of t01");
        // host-b lands t01; its next run waits, so that host-a has tasks left when it is back.
        await waitUntil(
          async () =>
            (await fleet.finished()).some(
              (s) => s.task === "t01" && s.host === "host-b",
            ),
          MINUTE,
          "host-b's run on t01",
        );
        await fleet.hold("host-b", true);
        // host-a comes back to a main that has t01 done: its same change must be fenced, not
        // failed as "no change" (which rebasing it onto host-b's landing made it).
        await waitUntil(
          async () => (await doneOnHub(fleet.hubDir)).includes("t01"),
          MINUTE,
          "host-b's landing of t01",
        );
        // Longer than the lease, whenever host-b's take-over came.
        await waitUntil(
          () => Date.now() - cutAt > (LEASE_S + 1) * 1000,
          2 * MINUTE,
          "the cut to outlast the lease",
        );
        await net.cut("host-a", false);

        const fenced = await a.waitFor(
          (e) =>
            e.type === "error" &&
            e.task === "t01" &&
            String(e.message).startsWith("not landed (work kept on "),
          2 * MINUTE,
          "host-a's fenced done on t01",
        );
        const branch = /work kept on (\S+)\)/.exec(String(fenced.message))?.[1];
        expect(branch, String(fenced.message)).toBeDefined();
        // It works on: a task other than t01 finished on host-a after it was back.
        await waitUntil(
          async () =>
            (await fleet.finished()).some(
              (s) => s.host === "host-a" && s.task !== "t01",
            ),
          2 * MINUTE,
          "host-a to finish another task",
        );
        await fleet.hold("host-b", false);
        const ends = await Promise.all([a.done, b.done]);
        for (const [i, end] of ends.entries())
          expect(
            end.exitCode,
            JSON.stringify([a, b][i]?.events.slice(-6)),
          ).toBe(0);

        // t01 ran to its end twice (host-a's fenced run, host-b's landed one); every other once.
        const finished = await fleet.finished();
        expect(
          finished
            .filter((s) => s.task === "t01")
            .map((s) => s.host)
            .sort(),
        ).toEqual(["host-a", "host-b"]);
        expect(
          workedOnce(
            fleet.taskIds,
            finished.filter((s) => !(s.task === "t01" && s.host === "host-a")),
          ),
        ).toEqual({ twice: [], never: [] });
        expect((await doneOnHub(fleet.hubDir)).sort()).toEqual(fleet.taskIds);
        // host-a's work on t01 is kept on its branch (in its clone: the hub's branch of that name
        // carries host-b's attempt, which landed).
        const clone = finished.find(
          (s) => s.task === "t01" && s.host === "host-a",
        );
        const kept = execFileSync(
          "git",
          ["-C", clone?.dir ?? "", "log", "--format=%s", branch ?? "?", "--"],
          { encoding: "utf8" },
        );
        expect(kept).toMatch(/^work: t01/m);
        await the().settled(["host-a", "host-b"]);
      },
      5 * MINUTE,
    );

    it(
      "a SIGKILLed runner's ssh master ends by itself once idle; the runner's next start ends one still running",
      async () => {
        const net = the().network;
        const fleet = fleetOf("scale");
        const tmp = path.join(fleet.root, "mux-tmp");
        await mkdir(tmp, { recursive: true });
        const script = path.join(fleet.root, "mux-then-die.mts");
        await writeFile(script, MUX_THEN_DIE);
        // Opens the hub connection as runner 'r1' would, then dies by SIGKILL (or stops it cleanly).
        const start = async (idleSeconds: number, end: "kill" | "stop") => {
          const { file, args } = net.onHost("host-c", [
            process.execPath,
            "--import",
            "tsx",
            script,
            `ssh://${HUB_USER}@${HUB_ADDRESS}${fleet.hubDir}`,
            String(idleSeconds),
            end,
          ]);
          const result = await runProcess(file, args, {
            cwd: PROJECT_DIR,
            env: { GIT_SSH_COMMAND: the().ssh.sshCommand, TMPDIR: tmp },
            timeoutMs: 60_000,
          });
          const out = decode(result.stdout);
          expect(out, decode(result.stderr)).toContain("connected");
          return /ControlPath=(\S+)/.exec(out)?.[1] ?? "";
        };
        const masters = async () => (await net.pids("host-c")).length;

        // A short idle time: the orphan goes by itself, its socket with it.
        const first = await start(2, "kill");
        await the().settled(["host-c"]);
        expect(await exists(first)).toBe(false);

        // A long one: the next start of the same runner ends it, and removes the old folders.
        const second = await start(600, "kill");
        expect(await masters(), "the orphaned master").toBeGreaterThan(0);
        await start(600, "stop");
        await the().settled(["host-c"]);
        expect(await exists(second)).toBe(false);
        expect(
          (await readdir(tmp)).filter((n) => n.startsWith("gsw-ssh-")),
        ).toEqual([]);
      },
      2 * MINUTE,
    );

    it.skipIf(realGpu)(
      "a GPU host and a CPU-only host: the GPU job runs only on the GPU host",
      async () => {
        const fleet = fleetOf("gpu");
        const bin = path.join(fleet.root, "gpu-bin");
        await writeFakeNvidiaSmi(bin, fakeGpus(1));
        // The CPU host starts first and works: it saw the job open and left it.
        const cpu = await the().run("gpu", "host-b");
        const skipped = await cpu.waitFor(
          (e) => e.type === "unschedulable" && e.task === "gpu1",
          2 * MINUTE,
          "host-b to leave the GPU job",
        );
        expect(String(skipped.reason)).toMatch(/gpu/i);
        const gpuHost = await the().run("gpu", "host-a", {
          PATH: `${bin}:${process.env.PATH ?? ""}`,
        });
        const [cpuEnd, gpuEnd] = await Promise.all([cpu.done, gpuHost.done]);
        expect(gpuEnd.exitCode, JSON.stringify(gpuHost.events.slice(-6))).toBe(
          0,
        );
        // 1 ("tasks left") when it ended while the job was still open and unclaimed, 0 when the
        // GPU host had claimed it by then (another runner's share).
        expect([0, 1], JSON.stringify(cpu.events.slice(-6))).toContain(
          cpuEnd.exitCode,
        );
        const finished = await fleet.finished();
        expect(workedOnce(fleet.taskIds, finished)).toEqual({
          twice: [],
          never: [],
        });
        expect(
          finished.filter((s) => s.task === "gpu1").map((s) => s.host),
        ).toEqual(["host-a"]);
        expect(
          cpu.events.some((e) => e.type === "claim" && e.task === "gpu1"),
        ).toBe(false);
        expect((await doneOnHub(fleet.hubDir)).sort()).toEqual(fleet.taskIds);
        await the().settled(["host-a", "host-b"]);
      },
      4 * MINUTE,
    );
  },
);
