/**
 * Builds real git histories for analytics tests: every commit at an exact time and by an exact
 * author, so hold times and buckets are known to the second.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Git } from "../../../coordination/git/git.js";

/** Seconds since the epoch of 2023-11-14T22:00:00Z, the start of an hour: buckets start here. */
export const T0 = 1_699_999_200;

/** One commit: who, when (seconds after T0), what it writes and removes, and its message. */
export interface CommitSpec {
  author: string;
  at: number;
  message: string;
  write?: Record<string, string>;
  remove?: string[];
}

/** A repository in a temp dir that commits exactly what a test says. */
export class History {
  readonly git: Git;

  private constructor(readonly dir: string) {
    this.git = new Git(dir);
  }

  /** A fresh repository on branch `main`. */
  static async create(): Promise<History> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-analytics-"));
    const history = new History(dir);
    await history.git.run(["init", "-q", "-b", "main"]);
    return history;
  }

  /** Commits (empty commits allowed) and returns the new hash. */
  async commit(spec: CommitSpec): Promise<string> {
    for (const [file, content] of Object.entries(spec.write ?? {})) {
      await mkdir(path.dirname(path.join(this.dir, file)), { recursive: true });
      await writeFile(path.join(this.dir, file), content);
      await this.git.run(["add", "--", file]);
    }
    for (const file of spec.remove ?? [])
      await this.git.run(["rm", "-q", "--", file]);
    await this.git.run(["commit", "-q", "--allow-empty", "-m", spec.message], {
      env: this.env(spec),
    });
    return (await this.git.run(["rev-parse", "HEAD"])).trim();
  }

  /** Merges `branch` into the current branch with a merge commit. */
  async merge(
    branch: string,
    spec: Omit<CommitSpec, "write" | "remove">,
  ): Promise<void> {
    await this.git.run(["merge", "-q", "--no-ff", "-m", spec.message, branch], {
      env: this.env(spec),
    });
  }

  /**
   * Commits a task's next state on `refs/swarm/tasks/<task>` as gitswarm's task-ref layout has it:
   * a tree of exactly one file (`locks/<task>.md` while held, else the marker `tasks/<task>.md`),
   * the ref's current commit as the only parent (none: a root), the ref moved only from that value.
   */
  async taskRefCommit(
    task: string,
    spec: Omit<CommitSpec, "write" | "remove"> & {
      file: "lock" | "marker";
      content: string;
    },
  ): Promise<string> {
    const ref = `refs/swarm/tasks/${task}`;
    const blob = (
      await this.git.run(["hash-object", "-w", "--stdin"], {
        input: spec.content,
      })
    ).trim();
    const [folder, name] =
      spec.file === "lock" ? ["locks", `${task}.md`] : ["tasks", `${task}.md`];
    const inner = (
      await this.git.run(["mktree"], {
        input: `100644 blob ${blob}\t${name}\n`,
      })
    ).trim();
    const tree = (
      await this.git.run(["mktree"], {
        input: `040000 tree ${inner}\t${folder}\n`,
      })
    ).trim();
    const parent = (
      await this.git.tryRun(["rev-parse", "--verify", "--quiet", ref])
    ).stdout.trim();
    const commit = (
      await this.git.run(
        ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-F", "-"],
        { input: spec.message, env: this.env(spec) },
      )
    ).trim();
    await this.git.run(["update-ref", ref, commit, parent || "0".repeat(40)]);
    return commit;
  }

  async checkout(branch: string, create = false): Promise<void> {
    await this.git.run(
      create ? ["checkout", "-q", "-b", branch] : ["checkout", "-q", branch],
    );
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private env(spec: { author: string; at: number }): Record<string, string> {
    const date = `@${T0 + spec.at} +0000`;
    const email = `${spec.author.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@example.com`;
    return {
      GIT_AUTHOR_NAME: spec.author,
      GIT_AUTHOR_EMAIL: email,
      GIT_COMMITTER_NAME: spec.author,
      GIT_COMMITTER_EMAIL: email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    };
  }
}

/** A gitswarm commit message: subject, blank line, trailers. */
export function swarmMessage(
  subject: string,
  trailers: Record<string, string>,
): string {
  const lines = Object.entries(trailers).map(([k, v]) => `${k}: ${v}`);
  return `${subject}\n\n${lines.join("\n")}\n`;
}

/** `n` numbered lines, for files whose line counts a test adds up. */
export function lines(n: number, prefix = "line"): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join("");
}
