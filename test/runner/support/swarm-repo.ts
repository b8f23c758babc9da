/**
 * A user's repository for whole-swarm runs, built with real git: `count` tasks with dependencies in
 * PROGRESS.md, and a real oracle where task `<id>` has its own case `cases/<id>.case` (expect
 * mode) that passes only once `impl/<id>.txt` holds the right text — i.e. once that task's work
 * has landed. The baseline starts empty, so the ratchet can only grow.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Git } from "../../../coordination/git/git.js";
import { MERGE_ATTRIBUTES } from "../../../coordination/git/guard/merge-driver-setup.js";
import { agentIdentity } from "../../../coordination/git/workspace.js";
import { implText } from "./task-model.js";

export interface RepoTask {
  id: string;
  needs: string[];
  tags?: string[];
}

/** `count` tasks t01…: four roots, then each needs the task four before it (and every third, also the one three before). */
export function makeTasks(count: number, prefix = "t"): RepoTask[] {
  const id = (n: number) => `${prefix}${String(n).padStart(2, "0")}`;
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const needs = n > 4 ? [id(n - 4), ...(n % 3 === 0 ? [id(n - 3)] : [])] : [];
    return { id: id(n), needs };
  });
}

/** One task as a human writes it in PROGRESS.md. */
export function taskEntry(task: RepoTask): string {
  const needs =
    task.needs.length > 0 ? `  - needs: ${task.needs.join(", ")}\n` : "";
  const tags =
    task.tags !== undefined && task.tags.length > 0
      ? `  - tags: ${task.tags.join(", ")}\n`
      : "";
  return `- [ ] ${task.id}: Implement ${task.id}\n${needs}${tags}  - cases: cases/${task.id}.case\n`;
}

/** The files of a task's oracle case: the case and its expected output. */
export function caseFiles(taskId: string): Record<string, string> {
  return {
    [`cases/${taskId}.case`]: `${taskId}\n`,
    [`cases/${taskId}.case.expected`]: implText(taskId),
  };
}

/** The oracle section: the candidate prints the impl file named after the case. */
export const ORACLE_CONFIG = `oracle:
  cases: cases/*.case
  candidate: cat "impl/$(basename {case} .case).txt"
  candidateInputs: ["impl/*.txt"]
  compare: exact
  timeout: 20s
`;

export interface SwarmRepo {
  root: string;
  dir: string;
  git: Git;
  tasks: RepoTask[];
  /** The commit the user made (the seed of the hub). */
  seed: string;
}

/**
 * Creates the repo in a fresh temp dir with `config` as gitswarm.config.yaml (ORACLE_CONFIG is
 * appended). `extraCases` get oracle cases but no task: a human adds those tasks later.
 */
export async function createSwarmRepo(
  tasks: RepoTask[],
  config: string,
  extraCases: string[] = [],
): Promise<SwarmRepo> {
  const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-e2e-"));
  const dir = path.join(root, "repo");
  const files: Record<string, string> = {
    "PROGRESS.md": `# Progress\n\n## Tasks\n\n${tasks.map(taskEntry).join("")}`,
    "DESIGN.md": "# Design\n\nEach task writes impl/<id>.txt.\n",
    "gitswarm.config.yaml": `${config}${ORACLE_CONFIG}`,
    ".gitignore": ".gitswarm/\n",
    // What `gitswarm init` commits: PROGRESS.md merges structurally in every clone.
    ".gitattributes": `${MERGE_ATTRIBUTES.join("\n")}\n`,
    "oracle/baseline.json": `${JSON.stringify({ version: 1, passing: [] }, null, 2)}\n`,
    ...Object.assign(
      {},
      ...[...tasks.map((t) => t.id), ...extraCases].map(caseFiles),
    ),
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  const git = new Git(dir, agentIdentity("tester"));
  await git.run(["init", "--quiet", "--initial-branch=main"]);
  // The human's name in progress-sync commits comes from user.name.
  await git.run(["config", "user.name", "Tess Ter"]);
  await git.run(["config", "user.email", "tess@example.com"]);
  await git.run(["add", "--all"]);
  await git.run(["commit", "--quiet", "-m", "seed: tasks and oracle"]);
  return {
    root,
    dir,
    git,
    tasks,
    seed: (await git.run(["rev-parse", "HEAD"])).trim(),
  };
}
