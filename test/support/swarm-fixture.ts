/**
 * Real swarms for tests: a bare hub made by gitswarm, seeded with a PROGRESS.md, and clones of it
 * in a temp dir. Nothing is mocked: every step runs the real git binary.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Git } from "../../coordination/git/git.js";
import { cloneWorkspace, createHub } from "../../coordination/git/hub.js";
import {
  agentIdentity,
  type Workspace,
} from "../../coordination/git/workspace.js";

export interface SwarmFixture {
  root: string;
  hubDir: string;
  hub: Git;
  /** Clones a new workspace for `agent`. */
  clone(agent: string): Promise<Workspace>;
  /** Commits files directly to the hub's main from a scratch clone (a "human" push). */
  pushToMain(files: Record<string, string>, message?: string): Promise<string>;
  /** Writes a task ref state by hand (a one-file commit on refs/swarm/tasks/<id>), e.g. a broken lock. */
  pushTaskState(taskId: string, file: string, content: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** Creates a hub whose main holds `files` (PROGRESS.md and anything else). */
export async function createSwarmFixture(
  files: Record<string, string>,
): Promise<SwarmFixture> {
  const root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-test-"));
  const hubDir = path.join(root, "hub.git");
  const hub = await createHub(hubDir);
  const seedDir = path.join(root, "seed");
  const seed = new Git(root, agentIdentity("seed"));
  await seed.run(["init", "--quiet", "--initial-branch=main", seedDir]);
  const seedGit = new Git(seedDir, agentIdentity("seed"));
  await writeFiles(seedDir, files);
  await seedGit.run(["add", "--all"]);
  await seedGit.run(["commit", "--quiet", "-m", "seed"]);
  await seedGit.run(["push", "--quiet", hubDir, "HEAD:refs/heads/main"]);
  let human: Workspace | undefined;
  return {
    root,
    hubDir,
    hub,
    clone: (agent) =>
      cloneWorkspace(hubDir, path.join(root, "clones", agent), {
        identity: agentIdentity(agent),
      }),
    async pushToMain(changed, message = "human edit") {
      human ??= await cloneWorkspace(hubDir, path.join(root, "human"), {
        identity: agentIdentity("human"),
      });
      await human.git.run(["pull", "--quiet", "--rebase", "origin", "main"]);
      await writeFiles(human.dir, changed);
      await human.git.run(["add", "--all"]);
      await human.git.run(["commit", "--quiet", "-m", message]);
      await human.git.run([
        "push",
        "--quiet",
        "origin",
        "HEAD:refs/heads/main",
      ]);
      return (await human.git.run(["rev-parse", "HEAD"])).trim();
    },
    async pushTaskState(taskId, file, content) {
      const blob = (
        await hub.run(["hash-object", "-w", "--stdin"], { input: content })
      ).trim();
      const [dir, name] = file.split("/");
      const inner = (
        await hub.run(["mktree"], { input: `100644 blob ${blob}\t${name}\n` })
      ).trim();
      const tree = (
        await hub.run(["mktree"], { input: `040000 tree ${inner}\t${dir}\n` })
      ).trim();
      const old = await hub.tryRun([
        "rev-parse",
        "--verify",
        "--quiet",
        `refs/swarm/tasks/${taskId}`,
      ]);
      const commit = (
        await hub
          .as(agentIdentity("human"))
          .run([
            "commit-tree",
            tree,
            ...(old.ok ? ["-p", old.stdout.trim()] : []),
            "-m",
            "hand-made state",
          ])
      ).trim();
      await hub.run(["update-ref", `refs/swarm/tasks/${taskId}`, commit]);
      return commit;
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** A task ref on the hub: the subjects of its commits (newest first) and the file at its tip. */
export async function hubTask(
  hub: Git,
  taskId: string,
): Promise<{ subjects: string[]; files: string[]; text: string }> {
  const ref = `refs/swarm/tasks/${taskId}`;
  const exists = await hub.tryRun(["rev-parse", "--verify", "--quiet", ref]);
  if (!exists.ok) return { subjects: [], files: [], text: "" };
  const files = (await hub.run(["ls-tree", "-r", "--name-only", ref]))
    .split("\n")
    .filter(Boolean);
  const subjects = (await hub.run(["log", "--format=%s", ref]))
    .split("\n")
    .filter(Boolean);
  const text = files[0] ? await hub.run(["show", `${ref}:${files[0]}`]) : "";
  return { subjects, files, text };
}

async function writeFiles(
  dir: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

/** The hub's main: the file list at the tip, and the subjects of its commits, newest first. */
export async function hubMain(
  hub: Git,
): Promise<{ files: string[]; subjects: string[] }> {
  const files = (await hub.run(["ls-tree", "-r", "--name-only", "main"]))
    .split("\n")
    .filter(Boolean);
  const subjects = (await hub.run(["log", "--format=%s", "main"]))
    .split("\n")
    .filter(Boolean);
  return { files, subjects };
}
