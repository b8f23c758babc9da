/**
 * A "human" for soak tests: one OS process editing PROGRESS.md in its own clone while agents run,
 * the way a person would — pull with rebase, edit, commit, push, and on a rejected push pull and
 * push again. Each edit is uniquely numbered: a note on a random task, a prose line, or a new task.
 *
 *   node --import tsx human-editor.ts CLONE EDITS
 *
 * Makes EDITS edits (a bounded burst: a human pushing every second can starve agents whose rounds
 * take longer on a loaded machine, so the soak must end), then prints one JSON line:
 * `{ edits, conflicts, rejections }`. Any git command that stops on a conflict is recorded in
 * `conflicts` and ends the run (the rebase is aborted so the clone is left clean).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Git, type GitResult } from "../../coordination/git/git.js";
import { installMergeDriver } from "../../coordination/git/guard/merge-driver-setup.js";
import { addTaskNote, appendTask } from "../../coordination/progress/edit.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import { agentIdentity } from "../../coordination/git/workspace.js";

/** One edit the human made and pushed. */
export type HumanEdit =
  | { kind: "note"; task: string; text: string }
  | { kind: "prose"; text: string }
  | { kind: "task"; task: string; needs: string[] };

/** What the human reports at the end. */
export interface HumanReport {
  edits: HumanEdit[];
  conflicts: string[];
  rejections: number;
}

const [dir = "", editsArg = "10"] = process.argv.slice(2);
const editCount = Number(editsArg);
const git = new Git(dir, agentIdentity("human"));
const file = path.join(dir, "PROGRESS.md");
const report: HumanReport = { edits: [], conflicts: [], rejections: 0 };

/** Pulls with rebase; false (and a recorded conflict) when git stopped. */
async function pull(): Promise<boolean> {
  const result = await git.tryRun([
    "pull",
    "--quiet",
    "--rebase",
    "origin",
    "main",
  ]);
  if (result.ok && !/CONFLICT/.test(result.stdout + result.stderr)) return true;
  report.conflicts.push(`git pull --rebase: ${describe(result)}`);
  await git.tryRun(["rebase", "--abort"]);
  return false;
}

function describe(result: GitResult): string {
  return `exit ${result.exitCode}: ${(result.stdout + result.stderr).trim()}`;
}

/** Makes edit number `n` to the checked-out PROGRESS.md and returns what it was. */
async function edit(n: number): Promise<HumanEdit> {
  const doc = parseProgress(await readFile(file, "utf8"));
  const roll = Math.random();
  const pick = doc.tasks[Math.floor(Math.random() * doc.tasks.length)];
  if (roll < 0.5 && pick !== undefined) {
    const text = `human note ${n}`;
    await writeFile(file, addTaskNote(doc, pick.id, text));
    return { kind: "note", task: pick.id, text };
  }
  if (roll < 0.75) {
    const text = `Human prose line ${n}.`;
    const lines = [...doc.lines];
    // Above the task list, as its own paragraph: prose humans keep between sections.
    const at = lines.indexOf("## Tasks");
    lines.splice(at === -1 ? lines.length : at, 0, text, "");
    await writeFile(file, lines.join(doc.eol));
    return { kind: "prose", text };
  }
  const task = `human-${String(n).padStart(3, "0")}`;
  const needs = pick !== undefined && Math.random() < 0.5 ? [pick.id] : [];
  await writeFile(
    file,
    appendTask(doc, { id: task, title: `Human task ${n}`, needs }),
  );
  return { kind: "task", task, needs };
}

/** Pushes HEAD to main, pulling (rebasing) after each rejection; false on a conflict. */
async function push(): Promise<boolean> {
  for (;;) {
    const result = await git.tryRun([
      "push",
      "--porcelain",
      "origin",
      "HEAD:refs/heads/main",
    ]);
    if (result.ok) return true;
    // Lost races: main moved (rejected), or another push held the hub's ref lock (remote rejected).
    if (!/^!\t/m.test(result.stdout)) {
      throw new Error(`git push failed: ${describe(result)}`);
    }
    report.rejections += 1;
    if (!(await pull())) return false;
  }
}

await installMergeDriver(dir);
for (let n = 1; n <= editCount; n += 1) {
  // A person's pace: an edit every few hundred milliseconds.
  await new Promise((resolve) =>
    setTimeout(resolve, 150 + Math.random() * 250),
  );
  if (!(await pull())) break;
  const made = await edit(n);
  await git.run([
    "commit",
    "--quiet",
    "-m",
    `human: ${made.kind} ${n}`,
    "--",
    "PROGRESS.md",
  ]);
  if (!(await push())) break;
  report.edits.push(made);
}
process.stdout.write(`${JSON.stringify(report)}\n`);
