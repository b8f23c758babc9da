/**
 * `npm run bench -- landing`: the merge queue under load. N `command` agents on T tasks, each task
 * making its own oracle case pass (so every landing raises the baseline, as in any real swarm); the
 * candidate sleeps per case so the full oracle dominates the lander's git work. Runs `gitswarm run`
 * with the queue on (and, with BENCH_LANDING_COMPARE=1, off) and prints landed tasks per minute,
 * full oracle runs per landed task, attempts failed for conflicts, queue wait p50/p90 and batch
 * sizes. Agent counts: 1 and 8 (BENCH_LANDING_AGENTS=1,8,32 for more); tasks: BENCH_LANDING_TASKS
 * (16); the candidate's sleep per case: BENCH_LANDING_SLEEP seconds (1.5); each task's own work:
 * BENCH_LANDING_WORK seconds (5); queue.batch: BENCH_LANDING_BATCH ("{ min: 1, max: 8 }");
 * queue.speculate: BENCH_LANDING_SPECULATE (1; 0 gates one batch at a time).
 */
import {
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runProcess } from "../../coordination/base/spawn.js";
import { PACKAGE_ROOT } from "../../coordination/base/package-root.js";
import type { SwarmEvent } from "../../coordination/base/events.js";
import { Git } from "../../coordination/git/git.js";
import { MERGE_ATTRIBUTES } from "../../coordination/git/guard/merge-driver-setup.js";
import { agentIdentity } from "../../coordination/git/workspace.js";
import { foldQueue } from "../analytics/queue.js";

// 16 cases of 1.5 s: a full gate of ~12 s on 2 cores, long beside the lander's git work per batch.
const SLEEP_S = Number(process.env.BENCH_LANDING_SLEEP ?? "1.5");
// The agents' own work per task, in seconds: what N agents do side by side, so what N agents can
// do faster than one (a real agent's model calls take minutes). With 0, one agent claims and
// enqueues a task every ~0.7 s, faster than any lander gates, so 8 agents only add start-up: both
// runs are the same lander's gates, and the ratio of N agents to 1 stays near 1 whatever it does.
const WORK_S = Number(process.env.BENCH_LANDING_WORK ?? "5");
// queue.batch as YAML, e.g. "{ min: 8, max: 8, wait: 5s }".
const BATCH = process.env.BENCH_LANDING_BATCH ?? "{ min: 1, max: 8 }";
const SPECULATE = process.env.BENCH_LANDING_SPECULATE !== "0";

/** Runs the landing bench at each agent count; one line per run. */
export async function benchLanding(): Promise<string[]> {
  const counts = (process.env.BENCH_LANDING_AGENTS ?? "1,8")
    .split(",")
    .map(Number);
  const tasks = Number(process.env.BENCH_LANDING_TASKS ?? "16");
  const modes =
    process.env.BENCH_LANDING_COMPARE === "1" ? [true, false] : [true];
  const lines = [
    `landing: ${tasks} tasks, each making its own case pass; candidate sleeps ${SLEEP_S}s per case; each task's work takes ${WORK_S}s; queue.batch ${BATCH}, speculate ${SPECULATE}`,
  ];
  const rates = new Map<string, number>();
  for (const queue of modes)
    for (const agents of counts) {
      const run = await benchOnce(agents, tasks, queue);
      rates.set(`${queue}/${agents}`, run.rate);
      lines.push(run.line);
    }
  return [...lines, ...ratioLines(rates, counts, modes)];
}

/** The ratios the issue's targets name: N agents over 1 (per mode), queue over racing (per N). */
function ratioLines(
  rates: ReadonlyMap<string, number>,
  counts: readonly number[],
  modes: readonly boolean[],
): string[] {
  const ratio = (a?: number, b?: number) =>
    a === undefined || b === undefined || b === 0 ? "-" : (a / b).toFixed(2);
  const lines: string[] = [];
  for (const queue of modes)
    for (const n of counts.filter((c) => c !== 1))
      lines.push(
        `  queue ${queue ? "on " : "off"} ${n}/1 agents landed/min ratio: ${ratio(rates.get(`${queue}/${n}`), rates.get(`${queue}/1`))}`,
      );
  if (modes.length > 1)
    for (const n of counts)
      lines.push(
        `  ${n} agents, queue on/off landed/min ratio: ${ratio(rates.get(`true/${n}`), rates.get(`false/${n}`))}`,
      );
  return lines;
}

async function benchOnce(
  agents: number,
  taskCount: number,
  queue: boolean,
): Promise<{ line: string; rate: number }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-bench-landing-"));
  try {
    const dir = await createRepo(root, agents, taskCount, queue);
    const started = Date.now();
    const run = await runProcess(
      process.execPath,
      [path.join(PACKAGE_ROOT, "bin", "gitswarm"), "run"],
      { cwd: dir, timeoutMs: 30 * 60_000, maxOutputBytes: 64 * 1024 * 1024 },
    );
    const ms = Date.now() - started;
    const events = await readEvents(dir);
    const landed = events.filter((e) => e.type === "done").length;
    const conflicts = events.filter(
      (e) => e.type === "attempt-failed" && /conflict/i.test(e.reason),
    ).length;
    const fullRuns = events.filter(
      (e) => e.type === "oracle" && e.scope === "full",
    ).length;
    const q = foldQueue(events);
    const oracleRuns = q?.oracleRuns ?? fullRuns;
    const perTask = landed === 0 ? "-" : (oracleRuns / landed).toFixed(2);
    const perMinute = (landed * 60_000) / ms;
    const rate = perMinute.toFixed(2);
    const wait = q?.waitMs
      ? `, queue wait p50 ${(q.waitMs.p50 / 1000).toFixed(1)}s p90 ${(q.waitMs.p90 / 1000).toFixed(1)}s`
      : "";
    const sizes = q
      ? `, batch sizes [${q.sizes.join(" ")}], ${q.bisections} bisection(s)`
      : "";
    const line = `  queue ${queue ? "on " : "off"} ${String(agents).padStart(2)} agents: ${landed}/${taskCount} landed in ${(ms / 1000).toFixed(1)} s = ${rate} landed/min, ${perTask} full oracle runs per landed task, ${conflicts} attempts failed for conflicts${wait}${sizes}${run.exitCode === 0 ? "" : ` (exit ${run.exitCode})`}`;
    return { line, rate: perMinute };
  } finally {
    const keep = process.env.BENCH_LANDING_KEEP;
    if (keep === undefined) await rm(root, { recursive: true, force: true });
    else {
      // The run's events, for reading its timeline afterwards (queue events carry `ms`); the repo goes.
      await mkdir(keep, { recursive: true });
      await copyFile(
        path.join(
          root,
          "repo",
          ".gitswarm",
          "runs",
          await latestRun(path.join(root, "repo")),
          "events.jsonl",
        ),
        path.join(keep, `${queue ? "queue" : "racing"}-${agents}.jsonl`),
      ).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    }
  }
}

async function createRepo(
  root: string,
  agents: number,
  taskCount: number,
  queue: boolean,
): Promise<string> {
  const dir = path.join(root, "repo");
  const script = path.join(root, "work.sh");
  await writeFile(
    script,
    `sleep ${WORK_S}\nmkdir -p impl\nprintf 'impl %s\\n' "$GITSWARM_TASK_ID" > "impl/$GITSWARM_TASK_ID.txt"\n`,
  );
  const ids = Array.from(
    { length: taskCount },
    (_, i) => `t${String(i + 1).padStart(2, "0")}`,
  );
  const config = [
    "lease: 30s",
    // The agents' script lives outside their clones, where a sandbox would hide it.
    "sandbox: off",
    "queue:",
    `  enabled: ${queue}`,
    `  batch: ${BATCH}`,
    `  speculate: ${SPECULATE}`,
    "agents:",
    "  - name: c",
    "    kind: command",
    `    command: sh ${script}`,
    `    count: ${agents}`,
    "oracle:",
    "  cases: cases/*.case",
    `  candidate: sleep ${SLEEP_S}; cat "impl/$(basename {case} .case).txt"`,
    // The candidate's inputs: without them the result cache cannot tell one tree from the next,
    // and an agent's full gate reads its own case as still failing from an earlier run's cache.
    '  candidateInputs: ["impl/*.txt"]',
    "  compare: exact",
    "  timeout: 60s",
    "",
  ].join("\n");
  const files: Record<string, string> = {
    "PROGRESS.md": `# Progress\n\n## Tasks\n\n${ids.map((id) => `- [ ] ${id}: Implement ${id}\n  - cases: cases/${id}.case\n`).join("")}`,
    "gitswarm.config.yaml": config,
    ".gitignore": ".gitswarm/\n",
    ".gitattributes": `${MERGE_ATTRIBUTES.join("\n")}\n`,
    "oracle/baseline.json": `${JSON.stringify({ version: 1, passing: [] }, null, 2)}\n`,
  };
  for (const id of ids) {
    files[`cases/${id}.case`] = `${id}\n`;
    files[`cases/${id}.case.expected`] = `impl ${id}\n`;
  }
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  const git = new Git(dir, agentIdentity("bench"));
  await git.run(["init", "--quiet", "--initial-branch=main"]);
  await git.run(["config", "user.name", "bench"]);
  await git.run(["config", "user.email", "bench@gitswarm.invalid"]);
  await git.run(["add", "--all"]);
  await git.run(["commit", "--quiet", "-m", "seed"]);
  return dir;
}

async function latestRun(dir: string): Promise<string> {
  const runs = path.join(dir, ".gitswarm", "runs");
  return (await readdir(runs).catch(() => [] as string[])).sort().at(-1) ?? "";
}

async function readEvents(dir: string): Promise<SwarmEvent[]> {
  const latest = await latestRun(dir);
  if (latest === "") return [];
  const text = await readFile(
    path.join(dir, ".gitswarm", "runs", latest, "events.jsonl"),
    "utf8",
  ).catch(() => "");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as SwarmEvent);
}
