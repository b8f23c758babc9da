/**
 * The coalescer acting, through the real CLI and real processes: a cleanup that breaks an oracle
 * case is refused by the gate; one that keeps every case and removes the duplicate lands as ONE
 * commit with `Swarm-Action: coalesce` and before/after figures; two coalescers on one hub never
 * work at once; a SIGKILLed coalescer leaves nothing half-landed and the next run coalesces.
 */
import { access, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  runProcess,
  streamLines,
  type SpawnResult,
} from "../../../coordination/base/spawn.js";
import { Git } from "../../../coordination/git/git.js";
import { readTrailers } from "../../../coordination/git/trailers.js";
import { hubTask } from "../../support/swarm-fixture.js";
import { GITSWARM_BIN, runCli } from "../support/cli-run.js";
import { waitUntil } from "../support/wait.js";
import { createActingRepo, type ActingRepo } from "./acting-fixture.js";

let repo: ActingRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

interface CoalesceJson {
  outcome: string;
  cleanup?: {
    outcome: string;
    stage?: string;
    reason?: string;
    commit?: string;
    before?: string;
    after?: string;
  };
}

const mainTip = async (r: ActingRepo) =>
  (await r.fixture.hub.run(["rev-parse", "main"])).trim();
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe("gitswarm coalesce (acting)", () => {
  it("refuses a cleanup that breaks an oracle case: nothing lands, the claim ends", async () => {
    repo = await createActingRepo({ variant: "bad" });
    const before = await mainTip(repo);
    const result = await runCli([
      "coalesce",
      "--repo",
      repo.userDirs[0] ?? "",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as CoalesceJson;
    expect(json.cleanup?.outcome).toBe("refused");
    expect(json.cleanup?.stage).toBe("gate");
    expect(json.cleanup?.reason).toContain("cases/beta.case");
    expect(await mainTip(repo)).toBe(before);
    const ref = await hubTask(repo.fixture.hub, "swarm-coalesce");
    expect(ref.files).toEqual(["tasks/swarm-coalesce.md"]);
    expect(ref.text).toMatch(/state: "?done"?/);
  }, 240_000);

  it("lands a cleanup that keeps every case and removes the duplicate as one commit with trailers", async () => {
    repo = await createActingRepo({ variant: "good" });
    const before = await mainTip(repo);
    const result = await runCli([
      "coalesce",
      "--repo",
      repo.userDirs[0] ?? "",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as CoalesceJson;
    expect(json.cleanup?.outcome).toBe("landed");
    const hub = repo.fixture.hub;
    expect(
      (await hub.run(["rev-list", `${before}..main`])).trim().split("\n"),
    ).toHaveLength(1);
    expect((await hub.run(["rev-parse", "main^"])).trim()).toBe(before);
    const trailers = readTrailers(
      await hub.run(["log", "-1", "--format=%B", "main"]),
    );
    expect(trailers.get("Swarm-Action")).toBe("coalesce");
    expect(trailers.get("Swarm-Task")).toBe("swarm-coalesce");
    expect(trailers.get("Swarm-Coalesce-Before")).toBe(
      "duplicate-code=1 duplicated-lines=20",
    );
    expect(trailers.get("Swarm-Coalesce-After")).toBe(
      "duplicate-code=0 duplicated-lines=0",
    );
    expect(trailers.get("Swarm-Oracle")).toBe("2 passed, 0 failed");
    const files = (await hub.run(["diff", "--name-only", `${before}`, "main"]))
      .trim()
      .split("\n");
    expect(files.sort()).toEqual([
      "src/alpha.mjs",
      "src/beta.mjs",
      "src/shared.mjs",
    ]);
    // The coalescer worked in its own clone: the user's checkout shows nothing new.
    expect(
      await new Git(repo.userDirs[0] ?? "").run(["status", "--porcelain"]),
    ).toBe("");
    const dry = await runCli([
      "coalesce",
      "--repo",
      repo.userDirs[0] ?? "",
      "--dry-run",
      "--json",
    ]);
    const counts = (
      JSON.parse(dry.stdout) as { figures: { counts: Record<string, number> } }
    ).figures.counts;
    expect(counts["duplicate-code"]).toBeUndefined();
  }, 240_000);

  it("never runs two coalescers at once: two processes on one hub", async () => {
    const r = (repo = await createActingRepo({
      variant: "good",
      wait: true,
      users: 2,
    }));
    const ended: (SpawnResult | undefined)[] = [undefined, undefined];
    const runs = r.userDirs.map((dir, i) =>
      runProcess(
        process.execPath,
        [GITSWARM_BIN, "coalesce", "--repo", dir, "--json"],
        {
          cwd: dir,
          timeoutMs: 200_000,
        },
      ).then((result) => (ended[i] = result)),
    );
    // The holder's agent waits for 'go': the other process must give up as busy meanwhile (it may
    // do so before or after the holder's agent starts; the agent never starts twice).
    const log = path.join(r.scratch, "agent.log");
    await waitUntil(
      async () => ended.some((e) => e !== undefined) && (await exists(log)),
      180_000,
      "one coalescer to end while the other's agent works",
    );
    const first = ended.find((e) => e !== undefined);
    expect(first?.exitCode).toBe(3);
    expect((await readFile(log, "utf8")).match(/start/g)).toHaveLength(1);
    await writeFile(path.join(r.scratch, "go"), "");
    await Promise.all(runs);
    expect(ended.map((e) => e?.exitCode).sort()).toEqual([0, 3]);
    const lines = await readFile(log, "utf8");
    expect(
      lines
        .trim()
        .split("\n")
        .map((l) => l.split(" ")[0]),
    ).toEqual(["start", "end"]);
    const subjects = await r.fixture.hub.run(["log", "--format=%s", "main"]);
    expect(subjects.match(/^coalesce:/gm)).toHaveLength(1);
  }, 240_000);

  it("a SIGKILLed coalescer leaves nothing half-landed and the next run coalesces", async () => {
    const r = (repo = await createActingRepo({
      variant: "good",
      wait: true,
      lease: "2s",
    }));
    const before = await mainTip(r);
    const dir = r.userDirs[0] ?? "";
    const child = streamLines(
      process.execPath,
      [GITSWARM_BIN, "coalesce", "--repo", dir, "--json"],
      {
        cwd: dir,
        timeoutMs: 200_000,
      },
    );
    const pidFile = path.join(r.scratch, "agent.pid");
    await waitUntil(
      () => exists(pidFile),
      180_000,
      "the cleanup agent to start",
    );
    // A sandboxed agent writes its pid inside its own PID namespace: on the host, kill the group of
    // the bwrap that lends it this scratch dir (the agent's process group leader).
    const agentPid =
      (await sandboxHostPid(r.scratch)) ??
      Number((await readFile(pidFile, "utf8")).trim());
    process.kill(-(child.pid ?? 0), "SIGKILL");
    process.kill(-agentPid, "SIGKILL");
    const killed = await child.done;
    expect(killed.signal).toBe("SIGKILL");
    expect(await mainTip(r)).toBe(before);
    const held = await hubTask(r.fixture.hub, "swarm-coalesce");
    expect(held.files).toEqual(["locks/swarm-coalesce.md"]);
    await writeFile(path.join(r.scratch, "go"), "");
    let json: CoalesceJson | undefined;
    // The dead holder's lease (2 s) must run out before its lock may be broken: retry while busy.
    await waitUntil(
      async () => {
        const next = await runCli(["coalesce", "--repo", dir, "--json"]);
        if (next.code === 3) return false;
        expect(next.code, next.stderr).toBe(0);
        json = JSON.parse(next.stdout) as CoalesceJson;
        return true;
      },
      180_000,
      "a second coalescer to run",
    );
    expect(json?.cleanup?.outcome).toBe("landed");
    expect(
      (await r.fixture.hub.run(["rev-list", `${before}..main`]))
        .trim()
        .split("\n"),
    ).toHaveLength(1);
    const history = await hubTask(r.fixture.hub, "swarm-coalesce");
    expect(history.subjects.some((s) => /^break:/.test(s))).toBe(true);
    expect(history.files).toEqual(["tasks/swarm-coalesce.md"]);
  }, 300_000);
});

/** The host pid of the bwrap whose command line names `dir` (undefined when nothing is sandboxed). */
async function sandboxHostPid(dir: string): Promise<number | undefined> {
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(
      () => "",
    );
    const argv = cmdline.split("\0");
    if (path.basename(argv[0] ?? "") === "bwrap" && argv.includes(dir))
      return Number(entry);
  }
  return undefined;
}
