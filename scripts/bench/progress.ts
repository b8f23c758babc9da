/**
 * Benchmark of PROGRESS.md at 100, 1,000 and 5,000 tasks: parse (+ validate), an uncontended
 * claim on a local bare hub holding that PROGRESS.md, the structural merge in-process, and the
 * same merge through real `git merge` running the installed driver. Prints each time, the cost
 * per task, and the ratio of the per-task cost at 5,000 to that at 100 (target: linear, i.e.
 * within 2x; a 5,000-task claim within 2x of a 100-task one; a 5,000-task merge under 1 s).
 * Measured and printed, never asserted. `GITSWARM_BENCH_PROGRESS_SIZES=100,1000` picks the sizes.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { claimTask } from "../../coordination/protocol/claim.js";
import { Git } from "../../coordination/git/git.js";
import { cloneWorkspace, createHub } from "../../coordination/git/hub.js";
import { installMergeDriver } from "../../coordination/git/guard/merge-driver-setup.js";
import { mergeProgress } from "../../coordination/progress/merge.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import { validateProgress } from "../../coordination/progress/validate.js";
import { agentIdentity, fetchMain } from "../../coordination/git/workspace.js";

interface Row {
  tasks: number;
  parseMs: number;
  claimMs: number;
  mergeMs: number;
  gitMergeMs: number;
}

/** Runs the PROGRESS.md benchmark and returns the lines to print. */
export async function benchProgress(): Promise<string[]> {
  const sizes = (process.env.GITSWARM_BENCH_PROGRESS_SIZES ?? "100,1000,5000")
    .split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const root = await mkdtemp(
    path.join(os.tmpdir(), "gitswarm-bench-progress-"),
  );
  try {
    const rows: Row[] = [];
    for (const tasks of sizes)
      rows.push(await measure(path.join(root, String(tasks)), tasks));
    return render(rows);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function render(rows: Row[]): string[] {
  const lines = [
    "progress (PROGRESS.md; best of several runs, claim and git merge: median):",
  ];
  const perTask = (ms: number, n: number) =>
    `${((ms * 1000) / n).toFixed(1)} us/task`;
  for (const r of rows)
    lines.push(
      `  ${String(r.tasks).padStart(5)} tasks: parse ${r.parseMs.toFixed(1)} ms (${perTask(r.parseMs, r.tasks)}), ` +
        `claim ${r.claimMs.toFixed(1)} ms, merge ${r.mergeMs.toFixed(1)} ms (${perTask(r.mergeMs, r.tasks)}), ` +
        `git merge with the driver ${r.gitMergeMs.toFixed(0)} ms`,
    );
  const small = rows[0];
  const large = rows.at(-1);
  if (small !== undefined && large !== undefined && large !== small) {
    const ratio = (ms: (r: Row) => number) =>
      (ms(large) / large.tasks / (ms(small) / small.tasks)).toFixed(2);
    lines.push(
      `  per-task ratio ${large.tasks}/${small.tasks}: parse ${ratio((r) => r.parseMs)}x, merge ${ratio((r) => r.mergeMs)}x (target <= 2x); ` +
        `claim ${(large.claimMs / small.claimMs).toFixed(2)}x the ${small.tasks}-task claim (target <= 2x); ` +
        `${large.tasks}-task merge ${large.mergeMs.toFixed(0)} ms (target < 1000 ms)`,
    );
  }
  return lines;
}

/** A PROGRESS.md with `count` tasks shaped like a real one: sections, needs, notes, done tasks. */
export function progressText(count: number, edit = ""): string {
  const lines = ["# Progress", "", "What the swarm builds, in order.", ""];
  for (let i = 0; i < count; i += 1) {
    if (i % 250 === 0) lines.push(`## Milestone ${i / 250 + 1}`, "");
    lines.push(
      `- [${i % 4 === 0 ? "x" : " "}] task-${i}: Build part ${i} of the engine`,
    );
    if (i % 3 === 1) lines.push(`  - needs: task-${i - 1}`);
    if (i % 5 === 0)
      lines.push(`  - tags: backend`, `  - note: agent-${i % 7} left a note`);
  }
  lines.push("", `Last words${edit}.`, "");
  return lines.join("\n");
}

async function measure(dir: string, tasks: number): Promise<Row> {
  const base = progressText(tasks);
  // Small files get more runs: their times are short, and the first runs warm the JIT up.
  const parseMs = best(Math.max(5, Math.round(20_000 / tasks)), () => {
    const problems = validateProgress(parseProgress(base));
    if (problems.length > 0)
      throw new Error(`bench PROGRESS.md is invalid: ${problems[0]?.message}`);
  });
  // The usual concurrent edits: an agent checks a task off, a human adds one and edits prose.
  const ours = base.replace(
    `- [ ] task-${tasks - 1}:`,
    `- [x] task-${tasks - 1}:`,
  );
  const theirs = progressText(tasks, " (edited)").replace(
    "- [ ] task-1:",
    "- [ ] new-task: Added by a human\n- [ ] task-1:",
  );
  const mergeMs = best(Math.max(3, Math.round(5_000 / tasks)), () => {
    if (!mergeProgress(base, ours, theirs).ok)
      throw new Error("bench merge failed");
  });
  return {
    tasks,
    parseMs,
    mergeMs,
    claimMs: await claimTime(dir, base),
    gitMergeMs: await gitMergeTime(path.join(dir, "merge"), base, ours, theirs),
  };
}

/** Median of uncontended claims of open tasks from an up-to-date clone of a hub holding `text`. */
async function claimTime(dir: string, text: string): Promise<number> {
  const hubDir = path.join(dir, "hub.git");
  await createHub(hubDir);
  const seed = await cloneWorkspace(hubDir, path.join(dir, "seed"), {
    identity: agentIdentity("seed"),
  });
  await writeFile(path.join(seed.dir, "PROGRESS.md"), text);
  await seed.git.run(["add", "PROGRESS.md"]);
  await seed.git.run(["commit", "--quiet", "-m", "seed"]);
  await seed.git.run(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
  const agent = await cloneWorkspace(hubDir, path.join(dir, "agent"), {
    identity: agentIdentity("agent"),
  });
  const times: number[] = [];
  // Tasks with no needs and not done: 2, 3, 6, 9, ... (i % 4 != 0, i % 3 != 1).
  const open = [2, 3, 6, 9, 11].filter(
    (i) => i < parseProgress(text).tasks.length,
  );
  for (const i of open) {
    await fetchMain(agent);
    const started = performance.now();
    const result = await claimTask(agent, {
      taskId: `task-${i}`,
      agent: "agent",
      leaseMs: 600_000,
    });
    times.push(performance.now() - started);
    if (result.outcome !== "won")
      throw new Error(`bench claim of task-${i} was ${result.outcome}`);
  }
  return median(times);
}

/** Median wall time of `git merge` of two branches, git running the installed driver. */
async function gitMergeTime(
  dir: string,
  base: string,
  ours: string,
  theirs: string,
): Promise<number> {
  await mkdir(dir, { recursive: true });
  const git = new Git(dir, agentIdentity("bench"));
  await git.run(["init", "-q", "-b", "main"]);
  await installMergeDriver(dir);
  const commit = async (text: string, branch: string, from: string) => {
    await git.run(["checkout", "-q", "-B", branch, from]);
    await writeFile(path.join(dir, "PROGRESS.md"), text);
    await git.run(["add", "PROGRESS.md", ".gitattributes"]);
    await git.run(["commit", "-q", "-m", branch]);
  };
  await writeFile(path.join(dir, "PROGRESS.md"), base);
  await git.run(["add", "PROGRESS.md", ".gitattributes"]);
  await git.run(["commit", "-q", "-m", "base"]);
  await commit(ours, "ours", "main");
  await commit(theirs, "theirs", "main");
  const times: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    await git.run(["checkout", "-q", "-f", "-B", "merged", "ours"]);
    const started = performance.now();
    await git.run(["merge", "-q", "--no-edit", "theirs"]);
    times.push(performance.now() - started);
  }
  return median(times);
}

function best(runs: number, body: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    body();
    min = Math.min(min, performance.now() - started);
  }
  return min;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
