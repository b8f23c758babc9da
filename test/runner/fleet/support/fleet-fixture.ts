/**
 * A fleet as users build one: a bare hub seeded with `count` independent tasks, and any number of
 * checkouts (clones of it) that carry the same gitswarm.config.yaml — command agents `bot` whose
 * command logs each invocation (task, host, checkout) to one file, writes `impl/<id>.txt` and
 * sleeps a little so runners overlap. Counting that file's lines counts agent runs, not check-offs;
 * a second file logs the runs that got to their end (a killed run logs only the first). A test can
 * hold every run on a host at its start (`hold`), and make every task but the first need the first.
 */
import { execFileSync } from "node:child_process";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Git } from "../../../../coordination/git/git.js";
import { MERGE_ATTRIBUTES } from "../../../../coordination/git/guard/merge-driver-setup.js";
import { agentIdentity } from "../../../../coordination/git/workspace.js";
import { makeTempDir } from "../../../support/temp-dir.js";

export interface Fleet {
  root: string;
  /** The hub's path (a bare repository). */
  hubDir: string;
  taskIds: string[];
  /** The file the agents' command appends one line to per invocation: `<task> <host> <cwd>`. */
  invocationLog: string;
  /** Clones the hub into `<root>/<name>` as a user's checkout; `hubUrl` is what its config names. */
  checkout(name: string, hubUrl?: string): Promise<string>;
  /** One entry per agent invocation: the task it was given. */
  invocations(): Promise<{ task: string; host: string; dir: string }[]>;
  /** One entry per agent invocation that reached its end (not killed first). */
  finished(): Promise<{ task: string; host: string; dir: string }[]>;
  /**
   * Holds (true) or lets go (false) every agent run on `host` just after it logs its invocation:
   * a held run is mid-task (claimed, heartbeating) until let go.
   */
  hold(host: string, on: boolean): Promise<void>;
}

export interface FleetOptions {
  tasks: number;
  /** Agents per runner (`bot` × count). */
  agents: number;
  lease?: string;
  /** How long each agent run takes, in seconds (default 1). */
  workSeconds?: number;
  /** The hub URL written into the committed config, from the hub's path (default: the path). */
  hubUrl?: (hubDir: string) => string;
  /** Lines appended to the agent command (e.g. to stall one host). */
  extraConfig?: string;
  /**
   * Host names that must all have started an agent run before any run ends (at most 120 s): so
   * both hosts certainly work, whichever runner starts first (else the first may take every task).
   */
  barrier?: readonly string[];
  /** Every task but the first `needs:` the first (nothing else can start before it is done). */
  needFirst?: boolean;
  /** Job tasks (`run:` the agents' script, `gpu: 1`) added after the plain ones, by id. */
  gpuJobs?: readonly string[];
}

/** Makes the hub (seeded, main only) and the agent command; checkouts come from `checkout`. */
export async function createFleet(options: FleetOptions): Promise<Fleet> {
  const root = await makeTempDir("gitswarm-fleet-");
  const hubDir = path.join(root, "hub.git");
  const invocationLog = path.join(root, "invocations.log");
  const finishedLog = path.join(root, "finished.log");
  await writeFile(invocationLog, "");
  await writeFile(finishedLog, "");
  const work = path.join(root, "work.sh");
  await writeFile(
    work,
    [
      "#!/bin/sh",
      `echo "$GITSWARM_TASK_ID $(hostname) $PWD" >> ${invocationLog}`,
      `while [ -e ${root}/hold-$(hostname) ]; do sleep 0.2; done`,
      "mkdir -p impl",
      'echo "work on $GITSWARM_TASK_ID" > "impl/$GITSWARM_TASK_ID.txt"',
      `sleep ${options.workSeconds ?? 1}`,
      ...(options.barrier === undefined
        ? []
        : [
            "deadline=$(( $(date +%s) + 120 ))",
            `until { ${options.barrier.map((host) => `grep -q " ${host} " ${invocationLog}`).join(" && ")}; } || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.2; done`,
          ]),
      `echo "$GITSWARM_TASK_ID $(hostname) $PWD" >> ${finishedLog}`,
      "",
    ].join("\n"),
  );
  await chmod(work, 0o755);
  const plainIds = Array.from(
    { length: options.tasks },
    (_, i) => `t${String(i + 1).padStart(2, "0")}`,
  );
  const gpuJobs = options.gpuJobs ?? [];
  const taskIds = [...plainIds, ...gpuJobs].sort();
  const config = [
    "hub:",
    `  url: ${options.hubUrl?.(hubDir) ?? hubDir}`,
    `lease: ${options.lease ?? "20s"}`,
    "maxAttempts: 3",
    "agents:",
    "  - name: bot",
    `    count: ${options.agents}`,
    "    kind: command",
    `    command: ${work}`,
    // The agents' script and the invocation log live outside their clones: lend them.
    "sandbox:",
    `  readWrite: [${root}]`,
    options.extraConfig ?? "",
  ].join("\n");
  const seed = path.join(root, "seed");
  const files: Record<string, string> = {
    "PROGRESS.md": `# Progress\n\n## Tasks\n\n${plainIds
      .map(
        (id, i) =>
          `- [ ] ${id}: Implement ${id}\n${options.needFirst === true && i > 0 ? `  - needs: ${plainIds[0]}\n` : ""}`,
      )
      .join(
        "",
      )}${gpuJobs.map((id) => `- [ ] ${id}: Train ${id}\n  - run: ${work}\n  - gpu: 1\n`).join("")}`,
    "DESIGN.md": "# Design\n\nEach task writes impl/<id>.txt.\n",
    "gitswarm.config.yaml": `${config}\n`,
    ".gitignore": ".gitswarm/\n",
    ".gitattributes": `${MERGE_ATTRIBUTES.join("\n")}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(seed, name)), { recursive: true });
    await writeFile(path.join(seed, name), content);
  }
  const git = new Git(seed, agentIdentity("tester"));
  await git.run(["init", "--quiet", "--initial-branch=main"]);
  await git.run(["add", "--all"]);
  await git.run(["commit", "--quiet", "-m", "seed: fleet tasks"]);
  await new Git(root).run([
    "init",
    "--quiet",
    "--bare",
    "--initial-branch=main",
    hubDir,
  ]);
  await git.run(["push", "--quiet", hubDir, "main:main"]);
  return {
    root,
    hubDir,
    taskIds,
    invocationLog,
    async checkout(name, hubUrl = hubDir) {
      const dir = path.join(root, name);
      await new Git(root).run(["clone", "--quiet", hubUrl, dir]);
      const clone = new Git(dir);
      await clone.run(["config", "user.name", `Human ${name}`]);
      await clone.run(["config", "user.email", `${name}@example.com`]);
      return dir;
    },
    invocations: () => readRuns(invocationLog),
    finished: () => readRuns(finishedLog),
    async hold(host, on) {
      const file = path.join(root, `hold-${host}`);
      await (on ? writeFile(file, "") : rm(file, { force: true }));
    },
  };
}

async function readRuns(
  log: string,
): Promise<{ task: string; host: string; dir: string }[]> {
  return (await readFile(log, "utf8"))
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [task = "", host = "", dir = ""] = line.split(" ");
      return { task, host, dir };
    });
}

/** Task ids seen more than once, and those never seen, in a list of invocations. */
export function workedOnce(
  taskIds: readonly string[],
  seen: readonly { task: string }[],
): { twice: string[]; never: string[] } {
  const counts = new Map<string, number>();
  for (const { task } of seen) counts.set(task, (counts.get(task) ?? 0) + 1);
  return {
    twice: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    never: taskIds.filter((id) => !counts.has(id)),
  };
}

/** The task ids checked off in PROGRESS.md on the hub's main (a hub of any owner: read as root). */
export async function doneOnHub(hubDir: string): Promise<string[]> {
  const text = execFileSync(
    "git",
    [
      "-c",
      `safe.directory=${hubDir}`,
      "--git-dir",
      hubDir,
      "show",
      "main:PROGRESS.md",
    ],
    { encoding: "utf8" },
  );
  return [...text.matchAll(/^- \[x\] ([\w.-]+):/gm)].map((m) => m[1] ?? "");
}
