/** `gitswarm add ID "title"`: append a validated task to PROGRESS.md. */
import { addTask } from "../../add-task.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
} from "../command.js";
import { requireGitRepo } from "../cli-workspace.js";

export const addCommand: Command = {
  name: "add",
  summary:
    "append a task to PROGRESS.md (validated: unique id, known deps, no cycles)",
  usage: `Usage: gitswarm add ID "Title" [--needs ID,ID] [--tag T]... [--run CMD] [--no-commit] [--repo DIR] [--json]

Appends '- [ ] ID: Title' after the last task in PROGRESS.md and commits that file alone (in the
current branch of --repo; push it, or let 'gitswarm run' pick it up).
  --needs ID,ID  tasks that must be done first
  --tag T        a required capability (repeatable), e.g. gpu
  --run CMD      make it a job task: a command agent runs CMD
  --no-commit    only edit the file`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("add", argv, {
      needs: { type: "string" },
      tag: { type: "string", multiple: true },
      run: { type: "string" },
      "no-commit": { type: "boolean", default: false },
    });
    const [id = "", title = ""] = positionals("add", args, ["ID", "Title"]);
    const dir = repoDir(io, values.repo);
    await requireGitRepo(dir);
    const needs =
      values.needs
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean) ?? [];
    const result = await addTask(
      dir,
      { id, title, needs, tags: values.tag ?? [], run: values.run },
      { commit: !values["no-commit"] },
    );
    if (values.json) printJson(io, result);
    else
      io.stdout(
        `added task ${id}${result.commit ? ` (${result.commit.slice(0, 12)})` : ""}\n`,
      );
    return ExitCode.ok;
  },
};
