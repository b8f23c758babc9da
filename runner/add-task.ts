/** `gitswarm add`: append a validated task to PROGRESS.md in a checkout and commit just that file. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Git } from "../coordination/git/git.js";
import { PROGRESS_FILE } from "../coordination/state/hub-view.js";
import {
  ARCHIVE_FILE,
  readArchivedIds,
} from "../coordination/progress/archive.js";
import { appendTask, type NewTask } from "../coordination/progress/edit.js";
import { parseProgress } from "../coordination/progress/parse.js";
import {
  progressError,
  readProgress,
  validateProgress,
} from "../coordination/progress/validate.js";
import { declaredTaskIdProblem } from "../coordination/progress/task.js";
import { renderCommitMessage } from "../coordination/git/trailers.js";
import { UserError } from "../coordination/base/errors.js";
import {
  readFileSettled,
  writeFileAtomic,
} from "../coordination/base/atomic-file.js";

export interface AddResult {
  task: NewTask;
  commit?: string;
}

/** Appends `task` after validating id, title and dependencies; commits unless `commit` is false. */
export async function addTask(
  dir: string,
  task: NewTask,
  options: { commit?: boolean; actor?: string } = {},
): Promise<AddResult> {
  const idProblem = declaredTaskIdProblem(task.id);
  if (idProblem !== undefined)
    throw new UserError("bad-task-id", `${idProblem}; nothing was changed`);
  if (task.title.trim() === "")
    throw new UserError(
      "usage",
      'the task needs a title: gitswarm add ID "Title"',
    );
  const file = path.join(dir, PROGRESS_FILE);
  const source = await readFileSettled(file).catch(() => {
    throw new UserError(
      "no-progress",
      `${file} does not exist; run 'gitswarm init' first`,
    );
  });
  const archived: string[] = await readFile(
    path.join(dir, ARCHIVE_FILE),
    "utf8",
  ).then(readArchivedIds, () => []);
  // An empty file is an error for status and claim (no tasks at all), but add is how one fills it.
  const doc =
    source.trim() === ""
      ? parseProgress(source, PROGRESS_FILE)
      : readProgress(source, PROGRESS_FILE, archived);
  const existing = doc.tasks.find((t) => t.id === task.id);
  if (existing !== undefined || archived.includes(task.id)) {
    const where =
      existing === undefined
        ? `${ARCHIVE_FILE} (done and archived)`
        : `${PROGRESS_FILE}:${existing.line}`;
    throw new UserError(
      "duplicate-task",
      `task '${task.id}' already exists in ${where}; pick another id`,
    );
  }
  // Checked before appending: the validator would name a line the user's file does not have yet.
  const known = new Set([...doc.tasks.map((t) => t.id), ...archived]);
  for (const need of task.needs ?? []) {
    if (need === task.id)
      throw new UserError(
        "bad-needs",
        `--needs ${need}: a task cannot need itself; nothing was changed`,
      );
    if (!known.has(need)) {
      throw new UserError(
        "bad-needs",
        `--needs ${need}: no task '${need}' in ${PROGRESS_FILE}; add it first or fix the id; nothing was changed`,
      );
    }
  }
  const next = appendTask(doc, task);
  const problems = validateProgress(
    parseProgress(next, PROGRESS_FILE),
    archived,
  );
  if (problems.length > 0) throw progressError(PROGRESS_FILE, problems);
  // Atomic and only over the text read: a save in an editor meanwhile is never lost.
  const written = await writeFileAtomic(file, next, { expect: source });
  if (!written.written)
    throw new UserError(
      "progress-changed",
      `${file} changed while task '${task.id}' was being added; nothing was changed, run the command again`,
    );
  if (options.commit === false) return { task };
  const git = new Git(dir);
  const message = renderCommitMessage({
    action: "progress",
    subject: `add task ${task.id}: ${task.title}`,
    task: task.id,
    agent: options.actor,
  });
  await git.run(
    ["commit", "--quiet", "--no-verify", "-F", "-", "--", PROGRESS_FILE],
    { input: message },
  );
  return { task, commit: (await git.run(["rev-parse", "HEAD"])).trim() };
}
