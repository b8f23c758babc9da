/**
 * Issue 24's hub over git's smart HTTP: `git http-backend` behind a small node:http server
 * (support/http-hub-server.ts). First, on loopback, what real git says over http:// is sorted as
 * gitswarm must sort it: a server that is not there (or a path it does not serve) is an outage, a
 * ref the hub lacks is an answer (retrying it as an outage stalled every ssh run once), and
 * gitswarm's own atomic push moves all its refs or, fenced, none. Then two hosts
 * (network namespaces) run one swarm over http:// at once, host-a's link cut for a few seconds
 * mid-run: every task is worked exactly once (agent invocations counted), both hosts work, host-a
 * reports the outage and its end, both runs exit 0 and nothing is left in either namespace.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  GITSWARM_BIN,
  killEverything,
  startRunCommand,
  type RunningSwarm,
} from "../support/cli-run.js";
import { waitUntil } from "../support/wait.js";
import { Git } from "../../../coordination/git/git.js";
import { isHubUnreachable } from "../../../coordination/git/hub-outage.js";
import { pushAtomic } from "../../../coordination/git/push.js";
import { openWorkspace } from "../../../coordination/git/workspace.js";
import { createFleet, doneOnHub, workedOnce } from "./support/fleet-fixture.js";
import { startHttpHub, type HttpHubServer } from "./support/http-hub.js";
import {
  createNetwork,
  HUB_ADDRESS,
  netnsUnavailable,
  type Network,
} from "./support/netns.js";

const TASKS = Number(process.env.GITSWARM_HTTP_HUB_TASKS ?? 4);
const OUTAGE_MS = Number(process.env.GITSWARM_HTTP_HUB_OUTAGE_MS ?? 4_000);
const PORT = 8080;
const unavailable = await netnsUnavailable([]);

describe("git over http:// as gitswarm reads it", () => {
  let server: HttpHubServer | undefined;
  afterAll(() => server?.stop());

  it("a server that is not there is an outage; a missing ref is an answer; an atomic push moves all refs or none", async () => {
    const fleet = await createFleet({ tasks: 1, agents: 1 });
    server = await startHttpHub({
      address: "127.0.0.1",
      port: 0,
      root: fleet.root,
      hubs: [fleet.hubDir],
      logDir: fleet.root,
    });
    const hubUrl = server.url(fleet.hubDir);
    const dir = await fleet.checkout("a", hubUrl);
    const git = new Git(dir);
    const fail = async (args: string[]) => {
      const result = await git.tryRun(args, { timeoutMs: 30_000 });
      expect(result.ok, args.join(" ")).toBe(false);
      return result.stderr;
    };

    const missingRef = await fail(["fetch", hubUrl, "refs/swarm/nope"]);
    expect(isHubUnreachable(missingRef), missingRef).toBe(false);

    // gitswarm's atomic push (claims, done marks, the lander's batches) over http: a stale
    // expectation refuses every ref, a right one moves them all.
    await git.run(["commit", "--quiet", "--allow-empty", "-m", "one"]);
    const head = (await git.run(["rev-parse", "HEAD"])).trim();
    const main = (await git.run(["rev-parse", "origin/main"])).trim();
    const ws = openWorkspace(dir);
    const fenced = await pushAtomic(ws, [
      { source: head, target: "refs/heads/main", expect: "0".repeat(39) + "1" },
      { source: head, target: "refs/swarm/other" },
    ]);
    expect(fenced).toMatchObject({ ok: false, rejected: true });
    expect(await git.run(["ls-remote", hubUrl])).not.toContain(
      "refs/swarm/other",
    );
    expect(
      await pushAtomic(ws, [
        { source: head, target: "refs/heads/main", expect: main },
        { source: head, target: "refs/swarm/other" },
      ]),
    ).toEqual({ ok: true });
    expect(
      await git.run(["ls-remote", hubUrl, "main", "refs/swarm/other"]),
    ).toBe(`${head}\trefs/heads/main\n${head}\trefs/swarm/other\n`);

    const noRepo = await fail(["fetch", `${hubUrl}-moved`]);
    expect(isHubUnreachable(noRepo), noRepo).toBe(true);
    server.stop();
    await waitUntil(
      async () => !(await git.tryRun(["ls-remote", hubUrl])).ok,
      10_000,
      "the http hub to stop",
    );
    const down = await fail(["fetch", hubUrl]);
    expect(isHubUnreachable(down), down).toBe(true);
  }, 120_000);
});

describe.skipIf(unavailable !== undefined)(
  `two hosts, one hub over http${unavailable === undefined ? "" : ` (skipped: ${unavailable})`}`,
  () => {
    let network: Network | undefined;
    const runs: { run: RunningSwarm; dir: string }[] = [];
    afterAll(async () => {
      for (const { run, dir } of runs) await killEverything(run, dir);
      await network?.destroy();
    });

    it(
      `work ${TASKS} tasks exactly once over http://, host-a riding out a ${OUTAGE_MS / 1000} s outage`,
      async () => {
        network = await createNetwork(["host-a", "host-b"]);
        const fleet = await createFleet({
          tasks: TASKS,
          agents: 2,
          // Longer than the outage plus a heartbeat interval: host-a's claims must not be broken.
          lease: "60s",
          barrier: ["host-a", "host-b"],
          hubUrl: (hubDir) =>
            `http://${HUB_ADDRESS}:${PORT}/${path.basename(hubDir)}`,
        });
        const dirs = [
          await fleet.checkout("host-a"),
          await fleet.checkout("host-b"),
        ];
        const http = await startHttpHub({
          network,
          address: HUB_ADDRESS,
          port: PORT,
          root: fleet.root,
          hubs: [fleet.hubDir],
          logDir: fleet.root,
        });
        for (const [i, host] of ["host-a", "host-b"].entries()) {
          const dir = dirs[i] ?? "";
          const { file, args } = network.onHost(host, [
            process.execPath,
            GITSWARM_BIN,
            "run",
            "--repo",
            dir,
            "--json",
          ]);
          runs.push({ run: startRunCommand(file, args, {}), dir });
        }
        const [a, b] = runs;
        if (a === undefined || b === undefined) throw new Error("no runs");

        await a.run.waitFor(
          (e) => e.type === "claim" && e.outcome === "won",
          120_000,
          "host-a's first claim",
        );
        await network.cut("host-a", true);
        await a.run.waitFor(
          (e) => e.type === "hub" && e.state === "unreachable",
          60_000,
          "host-a to see the hub unreachable",
        );
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
        await network.cut("host-a", false);

        const ends = await Promise.all(runs.map(({ run }) => run.done));
        for (const [i, end] of ends.entries())
          expect(
            end.exitCode,
            JSON.stringify(runs[i]?.run.events.slice(-6)),
          ).toBe(0);
        expect(
          a.run.events.some((e) => e.type === "hub" && e.state === "reachable"),
        ).toBe(true);

        const seen = await fleet.invocations();
        expect(workedOnce(fleet.taskIds, seen)).toEqual({
          twice: [],
          never: [],
        });
        expect(seen).toHaveLength(TASKS);
        expect(new Set(seen.map((s) => s.host))).toEqual(
          new Set(["host-a", "host-b"]),
        );
        expect((await doneOnHub(fleet.hubDir)).sort()).toEqual(fleet.taskIds);
        // Both hosts reached the hub over http (and nothing else did).
        expect([...(await http.requests()).keys()].sort()).toEqual([
          "10.77.0.2",
          "10.77.0.3",
        ]);

        for (const host of ["host-a", "host-b"])
          await waitUntil(
            async () => (await network?.pids(host))?.length === 0,
            10_000,
            `${host}'s namespace to be empty`,
          );
      },
      5 * 60_000,
    );
  },
);
