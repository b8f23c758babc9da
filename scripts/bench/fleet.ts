/**
 * `npm run bench -- fleet`: what a second runner buys. The same T tasks (command agents that sleep
 * BENCH_FLEET_WORK seconds each, `bot` × BENCH_FLEET_AGENTS per runner) are worked by one runner,
 * then, on a fresh hub, by two runners in two clones at once (the fleet case: same config, same
 * agent names). Prints each wall time, tasks per minute, the speed-up of two runners over one, and
 * agent runs per task (1.00 unless a task was worked twice). Tasks: BENCH_FLEET_TASKS (8).
 */
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import { PACKAGE_ROOT } from "../../coordination/base/package-root.js";
import { Git } from "../../coordination/git/git.js";
import { MERGE_ATTRIBUTES } from "../../coordination/git/guard/merge-driver-setup.js";
import { agentIdentity } from "../../coordination/git/workspace.js";

/** Tasks per fleet run (BENCH_FLEET_TASKS, default 8). */
export const TASKS = Number(process.env.BENCH_FLEET_TASKS ?? "8");
const AGENTS = Number(process.env.BENCH_FLEET_AGENTS ?? "2");
const WORK_S = Number(process.env.BENCH_FLEET_WORK ?? "1");

/** Runs the one-runner and the two-runner case; one line each, then the ratio. */
export async function benchFleet(): Promise<string[]> {
  const one = await runFleet(1);
  const two = await runFleet(2);
  const perMin = (ms: number) => ((TASKS * 60_000) / ms).toFixed(1);
  return [
    `fleet: ${TASKS} tasks of ${WORK_S}s, bot × ${AGENTS} per runner, one local hub`,
    `  1 runner : ${(one.ms / 1000).toFixed(1)}s, ${perMin(one.ms)} tasks/min, ${(one.runs / TASKS).toFixed(2)} agent runs per task`,
    `  2 runners: ${(two.ms / 1000).toFixed(1)}s, ${perMin(two.ms)} tasks/min, ${(two.runs / TASKS).toFixed(2)} agent runs per task`,
    `  speed-up of 2 runners over 1: ${(one.ms / two.ms).toFixed(2)}x`,
  ];
}

/**
 * How the runners reach the hub: by default its path; the ssh benchmark (ssh.ts) serves it over
 * sshd. `url` names the hub at `hubDir` (pure); `serve` readies it once it exists.
 */
export interface HubTransport {
  url(hubDir: string): string;
  serve?(hubDir: string): Promise<void>;
  /** Added to the clones' and the runners' environment (GIT_SSH_COMMAND). */
  env?: Record<string, string>;
}

/** One run of TASKS tasks by `runners` runners, each in its own clone of one fresh hub. */
export async function runFleet(
  runners: number,
  transport: HubTransport = { url: (hubDir) => hubDir },
): Promise<{ ms: number; runs: number }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-bench-fleet-"));
  try {
    const { hubDir, log } = await createHub(root, transport.url);
    await transport.serve?.(hubDir);
    const hub = transport.url(hubDir);
    const env = transport.env ?? {};
    const clones: string[] = [];
    for (let i = 0; i < runners; i += 1) {
      const dir = path.join(root, `runner-${i}`);
      const cloned = await runProcess("git", ["clone", "--quiet", hub, dir], {
        cwd: root,
        env,
        timeoutMs: 60_000,
      });
      if (cloned.exitCode !== 0)
        throw new Error(`git clone ${hub} failed: ${decode(cloned.stderr)}`);
      await new Git(dir).run(["config", "user.name", `Runner ${i}`]);
      await new Git(dir).run(["config", "user.email", `r${i}@example.com`]);
      clones.push(dir);
    }
    const started = Date.now();
    const ends = await Promise.all(
      clones.map((dir) =>
        runProcess(
          process.execPath,
          [path.join(PACKAGE_ROOT, "bin", "gitswarm"), "run", "--repo", dir],
          { cwd: dir, env, timeoutMs: 20 * 60_000 },
        ),
      ),
    );
    const ms = Date.now() - started;
    const failed = ends.find((e) => e.exitCode !== 0);
    if (failed !== undefined)
      throw new Error(
        `a runner exited ${failed.exitCode} (${runners} runners): ${decode(failed.stderr).slice(-2000)}`,
      );
    const runs = (await readFile(log, "utf8"))
      .split("\n")
      .filter((l) => l !== "").length;
    return { ms, runs };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function createHub(
  root: string,
  url: (hubDir: string) => string,
): Promise<{ hubDir: string; log: string }> {
  const hub = path.join(root, "hub.git");
  const log = path.join(root, "invocations.log");
  const work = path.join(root, "work.sh");
  await writeFile(log, "");
  await writeFile(
    work,
    `#!/bin/sh\necho "$GITSWARM_TASK_ID" >> ${log}\nmkdir -p impl\necho "$GITSWARM_TASK_ID" > "impl/$GITSWARM_TASK_ID.txt"\nsleep ${WORK_S}\n`,
  );
  await chmod(work, 0o755);
  const ids = Array.from({ length: TASKS }, (_, i) => `t${i + 1}`);
  const seed = path.join(root, "seed");
  await mkdir(seed, { recursive: true });
  const files: Record<string, string> = {
    "PROGRESS.md": `# Progress\n\n## Tasks\n\n${ids.map((id) => `- [ ] ${id}: Implement ${id}\n`).join("")}`,
    "gitswarm.config.yaml": [
      "hub:",
      `  url: ${url(hub)}`,
      "lease: 30s",
      "agents:",
      "  - name: bot",
      `    count: ${AGENTS}`,
      "    kind: command",
      `    command: ${work}`,
      // The script and its log live outside the clones: lend them to the sandbox.
      "sandbox:",
      `  readWrite: [${root}]`,
      "",
    ].join("\n"),
    ".gitignore": ".gitswarm/\n",
    ".gitattributes": `${MERGE_ATTRIBUTES.join("\n")}\n`,
  };
  for (const [name, content] of Object.entries(files))
    await writeFile(path.join(seed, name), content);
  const git = new Git(seed, agentIdentity("bench"));
  await git.run(["init", "--quiet", "--initial-branch=main"]);
  await git.run(["add", "--all"]);
  await git.run(["commit", "--quiet", "-m", "seed: fleet bench"]);
  await new Git(root).run([
    "init",
    "--quiet",
    "--bare",
    "--initial-branch=main",
    hub,
  ]);
  await git.run(["push", "--quiet", hub, "main:main"]);
  return { hubDir: hub, log };
}
