/**
 * The merge matrix's material: a base PROGRESS.md, the edits agents and humans make to it (as
 * functions over text, located with the parser, so they compose), and a real repository in which
 * `git merge` and `git rebase` run the installed merge driver.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Git } from "../../coordination/git/git.js";
import { installMergeDriver } from "../../coordination/git/guard/merge-driver-setup.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import {
  addTaskNote,
  checkOffTask,
  findTask,
} from "../../coordination/progress/edit.js";

export const BASE = `# Progress

Shared state of the swarm. Humans: edit freely.

## Tasks

- [ ] lexer: Tokenise SQL input
  - tags: sql
- [ ] parser: Parse SELECT
  - needs: lexer
  - note: try a Pratt parser
- [ ] planner: Plan queries
  - needs: parser
- [ ] vm: Run bytecode
- [ ] cleanup: Remove dead code
- [ ] docs: Write the docs

## Done

- [x] setup: Create the skeleton
`;

/** An edit to PROGRESS.md as a text transformation. */
export type Edit = (text: string) => string;

/** An agent checks a task off. */
export const checkOff =
  (id: string): Edit =>
  (text) =>
    checkOffTask(parseProgress(text), id);

/** An agent appends a note to a task. */
export const note =
  (id: string, words: string): Edit =>
  (text) =>
    addTaskNote(parseProgress(text), id, words);

/** A human inserts a task block right after another task's block. */
export const addAfter =
  (id: string, block: string): Edit =>
  (text) => {
    const lines = text.split("\n");
    lines.splice(
      findTask(parseProgress(text), id).endLine,
      0,
      ...block.split("\n"),
    );
    return lines.join("\n");
  };

/** A human changes a task's title. */
export const retitle =
  (id: string, title: string): Edit =>
  (text) => {
    const task = findTask(parseProgress(text), id);
    const lines = text.split("\n");
    lines[task.line - 1] = (lines[task.line - 1] ?? "").replace(
      /:.*$/,
      `: ${title}`,
    );
    return lines.join("\n");
  };

/** A human deletes a task (its whole block). */
export const remove =
  (id: string): Edit =>
  (text) => {
    const task = findTask(parseProgress(text), id);
    const lines = text.split("\n");
    lines.splice(task.line - 1, task.endLine - task.line + 1);
    return lines.join("\n");
  };

/** A human moves a task's block to just before another task. */
export const moveBefore =
  (id: string, before: string): Edit =>
  (text) => {
    const task = findTask(parseProgress(text), id);
    const lines = text.split("\n");
    const block = lines.splice(task.line - 1, task.endLine - task.line + 1);
    lines.splice(
      findTask(parseProgress(lines.join("\n")), before).line - 1,
      0,
      ...block,
    );
    return lines.join("\n");
  };

/** A human replaces one exact piece of text (prose). */
export const rewrite =
  (from: string, to: string): Edit =>
  (text) => {
    if (!text.includes(from)) throw new Error(`test edit: '${from}' not found`);
    return text.replace(from, to);
  };

/** Applies edits in order. */
export function apply(text: string, ...edits: Edit[]): string {
  return edits.reduce((current, edit) => edit(current), text);
}

/** What a real `git merge` or `git rebase` left behind. */
export interface GitMergeOutcome {
  ok: boolean;
  text: string;
  /** Paths git still lists as unmerged. */
  unmerged: string[];
  /** Git's stderr with GIT_TRACE on: shows whether the driver ran, and the driver's own messages. */
  stderr: string;
}

const ME = { name: "Tester", email: "tester@example.com" };

/**
 * A repository (under a path with a space, as users' paths have) with the driver installed and
 * three commits: `main` (base), `ours` and `theirs` on top of it. PROGRESS.md is written and read
 * in `encoding` (`latin1` gives byte-exact control: one char per byte).
 */
export class MergeRepo {
  private constructor(
    readonly dir: string,
    readonly git: Git,
    readonly encoding: BufferEncoding,
  ) {}

  static async create(
    base: string,
    ours: string,
    theirs: string,
    archives?: [string, string, string],
    encoding: BufferEncoding = "utf8",
  ): Promise<MergeRepo> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm merge "));
    const repo = new MergeRepo(dir, new Git(dir, ME), encoding);
    await repo.git.run(["init", "-q", "-b", "main"]);
    await installMergeDriver(dir);
    await repo.commit(base, "base", archives?.[0], [".gitattributes"]);
    await repo.git.run(["checkout", "-q", "-b", "ours"]);
    await repo.commit(ours, "ours", archives?.[1]);
    await repo.git.run(["checkout", "-q", "-b", "theirs", "main"]);
    await repo.commit(theirs, "theirs", archives?.[2]);
    return repo;
  }

  /** A file of the working tree as it is now. */
  read(file: string): Promise<string> {
    return readFile(path.join(this.dir, file), "utf8");
  }

  /** `git merge theirs` on a copy of `ours`: git's %A is ours. */
  merge(): Promise<GitMergeOutcome> {
    return this.attempt("merged", "ours", ["merge", "--no-edit", "theirs"]);
  }

  /** `git rebase` of `from` onto `onto`: git's %A is `onto`, %B the replayed commit `from`. */
  rebase(
    from: "ours" | "theirs",
    onto: "ours" | "theirs",
  ): Promise<GitMergeOutcome> {
    return this.attempt(`rebased-${from}`, from, ["rebase", onto]);
  }

  /** `git merge-tree --write-tree ours theirs`: the runner's merge without a working tree. */
  async mergeTree(): Promise<GitMergeOutcome> {
    const args = [
      "merge-tree",
      "--write-tree",
      "--name-only",
      "--no-messages",
      "ours",
      "theirs",
    ];
    const result = await this.git.tryRun(args, { env: { GIT_TRACE: "1" } });
    const [tree = "", ...unmerged] = result.stdout.split("\n").filter(Boolean);
    const text = (await this.git.tryRun(["show", `${tree}:PROGRESS.md`]))
      .stdout;
    return { ok: result.ok, text, unmerged, stderr: result.stderr };
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async attempt(
    branch: string,
    start: string,
    args: string[],
  ): Promise<GitMergeOutcome> {
    // Leave no merge or rebase of an earlier attempt in progress.
    await this.git.tryRun(["merge", "--abort"]);
    await this.git.tryRun(["rebase", "--abort"]);
    await this.git.run(["checkout", "-q", "-f", "-B", branch, start]);
    const result = await this.git.tryRun(args, { env: { GIT_TRACE: "1" } });
    const unmerged = (
      await this.git.run(["diff", "--name-only", "--diff-filter=U", "-z"])
    )
      .split("\0")
      .filter(Boolean);
    const text = await readFile(
      path.join(this.dir, "PROGRESS.md"),
      this.encoding,
    );
    return { ok: result.ok, text, unmerged, stderr: result.stderr };
  }

  private async commit(
    text: string,
    message: string,
    archive?: string,
    extra: string[] = [],
  ): Promise<void> {
    await writeFile(path.join(this.dir, "PROGRESS.md"), text, this.encoding);
    if (archive !== undefined)
      await writeFile(path.join(this.dir, "PROGRESS-archive.md"), archive);
    await this.git.run([
      "add",
      "--",
      "PROGRESS.md",
      ...(archive === undefined ? [] : ["PROGRESS-archive.md"]),
      ...extra,
    ]);
    await this.git.run(["commit", "-q", "--allow-empty", "-m", message]);
  }
}
