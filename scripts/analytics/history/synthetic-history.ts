/**
 * A synthetic gitswarm history as a `git fast-import` stream: one process builds 100k commits in
 * seconds, where a commit per process would take an hour. Used by the benchmark and the streaming
 * test; it also returns the class counts the history was built with, so results can be checked.
 */
import { Git } from "../../../coordination/git/git.js";
import type { CommitClass } from "../types.js";

/** The shape of the history to generate. */
export interface SyntheticOptions {
  /** Commits to generate (the last task cycle may be cut short to hit it exactly). */
  commits: number;
  agents?: number;
  /** Unix seconds of the first commit; each next commit is `step` seconds later. */
  start?: number;
  step?: number;
  /**
   * `main` (default): every lock on main, as the previous layout and foreign swarms did.
   * `task-refs`: claims, releases and breaks on `refs/swarm/tasks/<task>` (one-file commits), and
   * a done marker there beside each done commit on main, as gitswarm does now.
   */
  layout?: "main" | "task-refs";
}

/** The fast-import stream (for `git fast-import` on refs/heads/main) and what it contains. */
export interface SyntheticHistory {
  stream: string;
  /** Commits per class on main. */
  counts: Partial<Record<CommitClass, number>>;
  /** Commits per class on the task refs (the `task-refs` layout). */
  taskRefCounts: Partial<Record<CommitClass, number>>;
}

/**
 * Generates task cycles round-robin over the agents: claim, one to four work commits, then done;
 * every 5th cycle adds a PROGRESS.md note, every 7th is released instead of done and every 50th
 * broken as stale by the next agent. In the `task-refs` layout the claim, release and break go to
 * the task's ref, and a done marker follows each done commit there.
 */
export function generateSyntheticHistory(
  options: SyntheticOptions,
): SyntheticHistory {
  const agents = options.agents ?? 6;
  const step = options.step ?? 60;
  let time = options.start ?? 1_700_000_000;
  const chunks: string[] = [];
  const counts: Partial<Record<CommitClass, number>> = {};
  const taskRefCounts: Partial<Record<CommitClass, number>> = {};
  const onRefs = options.layout === "task-refs";
  let made = 0;
  const commit = (
    cls: CommitClass,
    agent: string,
    action: string | undefined,
    task: string,
    claim: string,
    ops: string,
    ref = "refs/heads/main",
  ) => {
    if (made >= options.commits) return;
    made += 1;
    const tally = ref === "refs/heads/main" ? counts : taskRefCounts;
    tally[cls] = (tally[cls] ?? 0) + 1;
    const trailers = [
      ...(action ? [`Swarm-Action: ${action}`] : []),
      `Swarm-Task: ${task}`,
      `Swarm-Agent: ${agent}`,
      ...(action && action !== "heartbeat" ? [`Swarm-Claim: ${claim}`] : []),
    ];
    const message = `${action ?? "work"}: ${task}\n\n${trailers.join("\n")}\n`;
    const who = `${agent} <${agent}@swarm.example> ${time} +0000`;
    chunks.push(
      `commit ${ref}\nauthor ${who}\ncommitter ${who}\n${data(message)}${ops}\n`,
    );
    // Irregular gaps (0.2 to 1.8 steps) so hold times and buckets spread like a real swarm's.
    time += Math.round((step * (1 + ((made * 37) % 9))) / 5);
  };
  for (let cycle = 0; made < options.commits; cycle += 1) {
    const agent = `agent-${(cycle % agents) + 1}`;
    const task = `task-${cycle}`;
    const claim = `c${cycle.toString(16).padStart(8, "0")}`;
    const lockPath = `locks/${task}.md`;
    const source = `src/module-${cycle % 400}/file-${cycle % 7}.ts`;
    const taskRef = `refs/swarm/tasks/${task}`;
    // On a task ref each state is a tree of one file: the lock while held, else a marker.
    const marker = (state: string) =>
      `deleteall\n${file(`tasks/${task}.md`, `---\ntask: ${task}\nstate: ${state}\nagent: ${agent}\nclaim: ${claim}\n---\n`)}`;
    const lock = file(
      lockPath,
      `---\ntask: ${task}\nagent: ${agent}\nclaim: ${claim}\n---\n`,
    );
    if (onRefs)
      commit(
        "claim",
        agent,
        "claim",
        task,
        claim,
        `deleteall\n${lock}`,
        taskRef,
      );
    else commit("claim", agent, "claim", task, claim, lock);
    if (cycle % 5 === 4)
      commit(
        "progress",
        agent,
        "progress",
        task,
        claim,
        file("PROGRESS.md", progress(cycle, "note: halfway")),
      );
    for (let version = 1; version <= 1 + ((cycle * 7) % 4); version += 1) {
      commit(
        "work",
        agent,
        undefined,
        task,
        claim,
        file(source, body(cycle, version)),
      );
    }
    const unlock = onRefs ? "" : `D ${lockPath}\n`;
    if (cycle % 50 === 49) {
      const breaker = `agent-${((cycle + 1) % agents) + 1}`;
      if (onRefs)
        commit(
          "break",
          breaker,
          "break",
          task,
          claim,
          marker("broken"),
          taskRef,
        );
      else commit("break", breaker, "break", task, claim, unlock);
    } else if (cycle % 7 === 6) {
      if (onRefs)
        commit(
          "release",
          agent,
          "release",
          task,
          claim,
          marker("released"),
          taskRef,
        );
      else
        commit(
          "release",
          agent,
          "release",
          task,
          claim,
          `${unlock}${file("PROGRESS.md", progress(cycle, "released"))}`,
        );
    } else {
      commit(
        "done",
        agent,
        "done",
        task,
        claim,
        `${file(source, body(cycle, 5))}${unlock}${file("PROGRESS.md", progress(cycle, "done"))}`,
      );
      if (onRefs)
        commit("done", agent, "done", task, claim, marker("done"), taskRef);
    }
  }
  return { stream: chunks.join(""), counts, taskRefCounts };
}

/** Creates a repository at `dir` (which must exist) holding a generated history on `main`. */
export async function importSyntheticHistory(
  dir: string,
  options: SyntheticOptions,
): Promise<SyntheticHistory> {
  const history = generateSyntheticHistory(options);
  const git = new Git(dir);
  await git.run(["init", "-q", "-b", "main"]);
  await git.run(["fast-import", "--quiet"], {
    input: history.stream,
    timeoutMs: 600_000,
  });
  // A hub with many task refs keeps them packed (gc does it); loose, each would be a file.
  if (options.layout === "task-refs")
    await git.run(["pack-refs", "--all"], { timeoutMs: 600_000 });
  return history;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

function file(path: string, content: string): string {
  return `M 100644 inline ${path}\n${data(content)}`;
}

function body(cycle: number, version: number): string {
  const lines = Array.from(
    { length: 12 },
    (_, i) =>
      `export const v${i} = ${i < version * 2 ? cycle * 10 + version : i};`,
  );
  return lines.join("\n") + "\n";
}

function progress(cycle: number, state: string): string {
  return `# Progress\n\n- [x] task-${cycle} ${state}\n- [ ] task-${cycle + 1}\n`;
}
