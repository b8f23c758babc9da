/**
 * Benchmark of start-up, what a human or a script calling gitswarm in a loop feels:
 *   (a) `gitswarm --help` wall time against a bare `node -e 0` (target: within 2x), for bin/gitswarm
 *       as it runs here (compiled when dist/ is current, else the sources through tsx) and for the
 *       compiled entry itself;
 *   (b) `gitswarm claim` end to end (a whole CLI process) against a raw `git push` of one commit;
 *   (c) one agent process: from spawn to its first event and to its exit (no task left), peak memory.
 * Medians; printed, never asserted. `GITSWARM_BENCH_STARTUP` sets the runs per figure (default 10).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  decode,
  runProcess,
  streamLines,
} from "../../coordination/base/spawn.js";
import { PACKAGE_ROOT } from "../../coordination/base/package-root.js";
import { cloneWorkspace, createHub } from "../../coordination/git/hub.js";
import { agentIdentity } from "../../coordination/git/workspace.js";
import type { AgentJob } from "../../runner/agent/agent-job.js";
import { agentProcessArgs } from "../../runner/swarm/process/agent-spawn.js";
// @ts-expect-error -- plain JavaScript without declarations (bin/ runs before any TypeScript loader).
import { isDistCurrent } from "../../bin/dist-current.mjs";

const BIN = path.join(PACKAGE_ROOT, "bin", "gitswarm");
const COMPILED = path.join(PACKAGE_ROOT, "dist", "runner", "cli", "entry.js");
const COMPILED_AGENT = path.join(
  PACKAGE_ROOT,
  "dist",
  "runner",
  "agent",
  "agent-process.js",
);

/** Runs the start-up benchmark and returns the lines to print. */
export async function benchStartup(): Promise<string[]> {
  const runs = Math.max(
    3,
    Number(process.env.GITSWARM_BENCH_STARTUP ?? 10) || 10,
  );
  const current = (isDistCurrent as (root: string) => boolean)(PACKAGE_ROOT);
  const lines = ["start-up:"];
  const nodeMs = await medianMs(runs, () => node(["-e", "0"], PACKAGE_ROOT));
  const binMs = await medianMs(runs, () => node([BIN, "--help"], PACKAGE_ROOT));
  lines.push(
    `  node -e 0 median ${nodeMs.toFixed(0)} ms`,
    `  bin/gitswarm --help median ${binMs.toFixed(0)} ms = ${(binMs / nodeMs).toFixed(2)}x node -e 0 (target <= 2x; ` +
      `${current ? "compiled dist/" : "sources through tsx: dist/ is stale or missing, run npm run build"})`,
  );
  if (existsSync(COMPILED)) {
    const ms = await medianMs(runs, () =>
      node([COMPILED, "--help"], PACKAGE_ROOT),
    );
    lines.push(
      `  dist/runner/cli/entry.js --help median ${ms.toFixed(0)} ms = ${(ms / nodeMs).toFixed(2)}x node -e 0`,
    );
  }
  const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-bench-startup-"));
  try {
    // The compiled CLI when there is one (what an installed gitswarm runs), else bin/gitswarm.
    const cli = existsSync(COMPILED)
      ? {
          entry: COMPILED,
          label: current ? "compiled" : "compiled, from older sources",
        }
      : { entry: BIN, label: "sources through tsx" };
    lines.push(...(await claimVsPush(root, runs, cli)));
    lines.push(...(await agentStart(root, runs)));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return lines;
}

/** `gitswarm claim` as a process, alternating with a raw push of one commit to the same hub. */
async function claimVsPush(
  root: string,
  runs: number,
  cli: { entry: string; label: string },
): Promise<string[]> {
  const hubDir = path.join(root, "hub.git");
  await createHub(hubDir);
  const ids = Array.from({ length: runs }, (_, i) => `task-${i}`);
  const seed = await cloneWorkspace(hubDir, path.join(root, "seed"), {
    identity: agentIdentity("seed"),
  });
  await writeFile(
    path.join(seed.dir, "PROGRESS.md"),
    `# Progress\n\n## Tasks\n\n${ids.map((id) => `- [ ] ${id}: ${id}`).join("\n")}\n`,
  );
  await seed.git.run(["add", "PROGRESS.md"]);
  await seed.git.run(["commit", "--quiet", "-m", "seed"]);
  await seed.git.run(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
  const claimer = await cloneWorkspace(hubDir, path.join(root, "claimer"), {
    identity: agentIdentity("bench"),
  });
  const raw = await cloneWorkspace(hubDir, path.join(root, "raw"), {
    identity: agentIdentity("raw"),
  });
  const claims: number[] = [];
  const pushes: number[] = [];
  const failures: string[] = [];
  for (const [i, id] of ids.entries()) {
    let started = performance.now();
    const claim = await node(
      [cli.entry, "claim", id, "--as", "bench", "--repo", claimer.dir],
      claimer.dir,
    );
    claims.push(performance.now() - started);
    if (claim.exitCode !== 0)
      failures.push(`${id}: ${decode(claim.stderr).trim()}`);
    await raw.git.run(["pull", "--quiet", "--rebase", "origin", "main"]);
    await writeFile(path.join(raw.dir, "raw.txt"), `push ${i}\n`);
    await raw.git.run(["add", "raw.txt"]);
    await raw.git.run(["commit", "--quiet", "-m", `raw ${i}`]);
    started = performance.now();
    await raw.git.run(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
    pushes.push(performance.now() - started);
  }
  const claimMs = median(claims);
  const pushMs = median(pushes);
  return [
    `  gitswarm claim (whole CLI process, ${cli.label}) median ${claimMs.toFixed(0)} ms vs raw git push median ${pushMs.toFixed(0)} ms: ` +
      `${(claimMs / pushMs).toFixed(1)}x (${runs} each${failures.length > 0 ? `; ${failures.length} claims failed: ${failures[0]}` : ""})`,
  ];
}

/** One scripted agent process on a hub with nothing to do: time to its first event, to its exit, peak RSS. */
async function agentStart(root: string, runs: number): Promise<string[]> {
  const hubDir = path.join(root, "idle-hub.git");
  await createHub(hubDir);
  const seed = await cloneWorkspace(hubDir, path.join(root, "idle-seed"), {
    identity: agentIdentity("seed"),
  });
  await writeFile(
    path.join(seed.dir, "PROGRESS.md"),
    "# Progress\n\n## Tasks\n\n- [x] t0: done\n",
  );
  await seed.git.run(["add", "PROGRESS.md"]);
  await seed.git.run(["commit", "--quiet", "-m", "seed"]);
  await seed.git.run(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
  const ws = await cloneWorkspace(hubDir, path.join(root, "idle-agent"), {
    identity: agentIdentity("bench-agent"),
  });
  const job: AgentJob = {
    name: "bench-agent",
    spec: { kind: "scripted", scriptDir: path.join(root, "no-scripts") },
    fallbacks: [],
    capabilities: [],
    swarmCapabilities: [],
    routing: {},
    workspaceDir: ws.dir,
    remote: "origin",
    branch: "main",
    leaseMs: 60_000,
    maxAttempts: 1,
    oracle: false,
  };
  const modes: [string, string[]][] = [
    ["through tsx, as from the sources", agentProcessArgs(job)],
  ];
  if (existsSync(COMPILED_AGENT))
    modes.unshift(["compiled", [COMPILED_AGENT, JSON.stringify(job)]]);
  const lines: string[] = [];
  for (const [mode, args] of modes) {
    const { firstEvent, exit, peakKb } = await timeAgent(args, ws.dir, runs);
    lines.push(
      `  agent process (${mode}), idle hub: first event median ${median(firstEvent).toFixed(0)} ms, ` +
        `exit median ${median(exit).toFixed(0)} ms, peak RSS median ${(median(peakKb) / 1024).toFixed(0)} MiB`,
    );
  }
  return lines;
}

async function timeAgent(args: string[], cwd: string, runs: number) {
  const firstEvent: number[] = [];
  const exit: number[] = [];
  const peakKb: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = streamLines(process.execPath, args, {
      cwd,
      timeoutMs: 120_000,
    });
    let peak = 0;
    const sampler = setInterval(() => {
      void peakRssKb(child.pid).then((kb) => (peak = Math.max(peak, kb)));
    }, 10);
    for await (const _line of child.lines) {
      if (firstEvent.length === i) firstEvent.push(performance.now() - started);
    }
    await child.done;
    clearInterval(sampler);
    exit.push(performance.now() - started);
    peakKb.push(peak);
  }
  return { firstEvent, exit, peakKb };
}

async function peakRssKb(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

function node(args: string[], cwd: string) {
  return runProcess(process.execPath, args, { cwd, timeoutMs: 120_000 });
}

async function medianMs(
  runs: number,
  once: () => Promise<unknown>,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  return median(times);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
