/**
 * A job-task project for end-to-end tests: a fake `nvidia-smi` on PATH (answers the two exact
 * queries of gpu-inventory.ts from files the test writes), a tiny real training script (Node, CPU)
 * that writes metrics lines and `checkpoint-<step>/` dirs and resumes from the newest complete one,
 * and a repo whose PROGRESS.md declares job tasks run by `command` agents.
 */
import { mkdir, mkdtemp, readFile, writeFile, chmod } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { agentIdentity } from "../../../../coordination/git/workspace.js";
import { Git } from "../../../../coordination/git/git.js";
import { MERGE_ATTRIBUTES } from "../../../../coordination/git/guard/merge-driver-setup.js";

/** GPU CSV lines as nvidia-smi prints them; `busy` ones get a compute app. */
export function fakeGpus(
  count: number,
  busy: number[] = [],
): { gpus: string; apps: string } {
  const rows = Array.from({ length: count }, (_, i) => i);
  return {
    gpus: rows
      .map(
        (i) =>
          `${i}, GPU-fake-${i}, NVIDIA Fake 80GB, 81559, ${busy.includes(i) ? 40000 : 0}, 0`,
      )
      .join("\n"),
    apps: busy.map((i) => `GPU-fake-${i}, ${4000 + i}, 40000`).join("\n"),
  };
}

const NVIDIA_SMI = `#!/bin/sh
dir=$(dirname "$0")
case "$1" in
  --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu) cat "$dir/gpus.csv" ;;
  --query-compute-apps=gpu_uuid,pid,used_memory) cat "$dir/apps.csv" ;;
  *) echo "fake nvidia-smi: unexpected $*" >&2; exit 9 ;;
esac
`;

// Steps every DELAY ms; a checkpoint every 5 steps (state.json, then a COMPLETE marker); resumes
// from the newest complete checkpoint; logs what it saw (env, start step) to LOG as JSON lines.
const TRAIN = `import fs from "node:fs";
import path from "node:path";
const [steps, delay, log, barrier, exclusive] = process.argv.slice(2);
// Held while training: a second job on the same GPU at the same time fails to create it.
if (exclusive) fs.closeSync(fs.openSync(exclusive, "wx"));
const ck = process.env.GITSWARM_CHECKPOINT_DIR;
const complete = fs.readdirSync(ck).filter((d) => /^checkpoint-\\d+$/.test(d) && fs.existsSync(path.join(ck, d, "COMPLETE")))
  .map((d) => Number(d.slice(11))).sort((a, b) => b - a);
const start = complete[0] ?? 0;
const seen = { task: process.env.GITSWARM_TASK_ID, start, pid: process.pid };
for (const key of ["CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "GITSWARM_RUN_ID", "GITSWARM_CHECKPOINT_DIR", "GITSWARM_METRICS_FILE"]) seen[key] = process.env[key];
fs.appendFileSync(log, JSON.stringify(seen) + "\\n");
if (barrier) {
  fs.writeFileSync(path.join(barrier, seen.task), "");
  const until = Date.now() + 45000;
  while (fs.readdirSync(barrier).length < 2) { if (Date.now() > until) process.exit(3); await new Promise((r) => setTimeout(r, 50)); }
}
for (let step = start + 1; step <= Number(steps); step++) {
  await new Promise((r) => setTimeout(r, Number(delay)));
  const loss = Math.round(1000 / (step + 1)) / 1000;
  fs.appendFileSync(process.env.GITSWARM_METRICS_FILE, JSON.stringify({ step, loss }) + "\\n");
  if (step % 5 === 0) {
    const dir = path.join(ck, "checkpoint-" + step);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify({ step }));
    fs.writeFileSync(path.join(dir, "COMPLETE"), "");
  }
}
if (exclusive) fs.unlinkSync(exclusive);
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/model.bin", Buffer.alloc(4096, 7));
fs.writeFileSync("out/notes.txt", "trained " + steps + " steps\\n");
`;

/** Writes the fake `nvidia-smi` (and the GPUs it reports) into `binDir`, made if missing. */
export async function writeFakeNvidiaSmi(
  binDir: string,
  gpus: { gpus: string; apps: string },
): Promise<void> {
  await mkdir(binDir, { recursive: true });
  await writeFile(path.join(binDir, "nvidia-smi"), NVIDIA_SMI);
  await chmod(path.join(binDir, "nvidia-smi"), 0o755);
  await writeFile(path.join(binDir, "gpus.csv"), `${gpus.gpus}\n`);
  await writeFile(
    path.join(binDir, "apps.csv"),
    gpus.apps === "" ? "" : `${gpus.apps}\n`,
  );
}

export interface JobProject {
  root: string;
  dir: string;
  binDir: string;
  log: string;
  jobsRoot: string;
  /** `node train.mjs STEPS DELAY LOG [BARRIER]` as a `run:` command. */
  trainCommand(
    steps: number,
    delayMs: number,
    barrier?: string,
    exclusive?: string,
  ): string;
  env: Record<string, string>;
  seen(): Promise<Record<string, unknown>[]>;
}

/** Makes the tools and an empty project root; `writeRepo` then commits PROGRESS.md and the config. */
export async function makeJobProject(
  gpus: { gpus: string; apps: string },
  leaseDir?: string,
): Promise<JobProject> {
  const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-jobs-"));
  const binDir = path.join(root, "bin");
  await writeFakeNvidiaSmi(binDir, gpus);
  await writeFile(path.join(root, "train.mjs"), TRAIN);
  const log = path.join(root, "seen.jsonl");
  await writeFile(log, "");
  return {
    root,
    dir: path.join(root, "repo"),
    binDir,
    log,
    jobsRoot: path.join(root, "jobs"),
    trainCommand: (steps, delayMs, barrier, exclusive) =>
      `${process.execPath} ${path.join(root, "train.mjs")} ${steps} ${delayMs} ${log} ${barrier ?? "''"}${exclusive ? ` ${exclusive}` : ""}`,
    env: {
      PATH: `${binDir}:${process.env.PATH ?? ""}`,
      GITSWARM_DEVICE_LEASE_DIR: leaseDir ?? path.join(root, "leases"),
    },
    seen: async () =>
      (await readFile(log, "utf8"))
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Commits a repo with `progress` as PROGRESS.md and `agents` command agents. */
export async function writeJobRepo(
  project: JobProject,
  progress: string,
  agents: string[],
  dir = project.dir,
  lend: string[] = [],
): Promise<Git> {
  const config = [
    "lease: 30s",
    "maxAttempts: 2",
    "jobs:",
    `  checkpointDir: ${project.jobsRoot}`,
    "  stopGrace: 5s",
    // train.mjs, its log and barriers live beside the repo, outside the clones.
    "sandbox:",
    `  readWrite: [${[project.root, ...lend].join(", ")}]`,
    "agents:",
    ...agents.flatMap((name) => [`  - name: ${name}`, "    kind: command"]),
    "",
  ].join("\n");
  const files: Record<string, string> = {
    "PROGRESS.md": progress,
    "DESIGN.md": "# Design\n\nJobs train a model.\n",
    "gitswarm.config.yaml": config,
    ".gitignore": ".gitswarm/\n",
    ".gitattributes": `${MERGE_ATTRIBUTES.join("\n")}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  const git = new Git(dir, agentIdentity("tester"));
  await git.run(["init", "--quiet", "--initial-branch=main"]);
  await git.run(["config", "user.name", "Tess Ter"]);
  await git.run(["config", "user.email", "tess@example.com"]);
  await git.run(["add", "--all"]);
  await git.run(["commit", "--quiet", "-m", "seed: job tasks"]);
  return git;
}
