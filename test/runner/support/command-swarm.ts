/**
 * A swarm of `command` agents for end-to-end runs that need no model: each agent runs a shell
 * script in its clone that writes the task's impl file (what the oracle case expects), optionally
 * after waiting for a file to appear (so a test can hold the work mid-task). Real git, real hub,
 * real runner process.
 */
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createSwarmRepo, makeTasks, type SwarmRepo } from "./swarm-repo.js";
import type { RunEvent } from "./cli-run.js";

/** What `createCommandSwarm` builds. */
export interface CommandSwarm extends SwarmRepo {
  /** A test creates this file to let held agents finish their tasks. */
  gate: string;
  /** The temp dir of the agents' script and the gate (remove it with `root`). */
  scriptDir: string;
}

/**
 * A repo with `taskCount` tasks and `agents` command agents; with `hold`, every agent waits for
 * the `gate` file before writing its task's file. `config` is added to gitswarm.config.yaml.
 */
export async function createCommandSwarm(options: {
  taskCount: number;
  agents: number;
  hold?: boolean;
  config?: string;
}): Promise<CommandSwarm> {
  // The script sits outside every clone: no agent's work commit can pick it up.
  const scriptDir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-cmd-"));
  const script = path.join(scriptDir, "work.sh");
  const gate = path.join(scriptDir, "gate");
  const wait = options.hold
    ? `while [ ! -e '${gate}' ]; do sleep 0.1; done\n`
    : "";
  await writeFile(
    script,
    `${wait}mkdir -p impl\nprintf 'impl %s\\n' "$GITSWARM_TASK_ID" > "impl/$GITSWARM_TASK_ID.txt"\n`,
  );
  const names = Array.from({ length: options.agents }, (_, i) => `c${i + 1}`);
  const agents = names
    .map(
      (name) =>
        `  - name: ${name}\n    kind: command\n    command: sh ${script}\n`,
    )
    .join("");
  const repo = await createSwarmRepo(
    makeTasks(options.taskCount),
    // The sandbox hides what is outside the agents' clones: lend them the script's folder.
    `lease: 10s\nsandbox:\n  readOnly: [${scriptDir}]\n${options.config ?? ""}agents:\n${agents}`,
  );
  return { ...repo, gate, scriptDir };
}

/** The events of the repo's latest run, from its events.jsonl. */
export async function readLatestRunEvents(
  repoDir: string,
): Promise<RunEvent[]> {
  const runs = path.join(repoDir, ".gitswarm", "runs");
  const latest = (await readdir(runs)).sort().at(-1);
  if (latest === undefined) return [];
  const text = await readFile(path.join(runs, latest, "events.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as RunEvent);
}
