/** `gitswarm archive`: moves done tasks from PROGRESS.md to PROGRESS-archive.md and commits. */
import { archiveProgress } from "../../../coordination/progress/archive-commit.js";
import { UserError } from "../../../coordination/base/errors.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
} from "../command.js";

/** The archive command. */
export const archiveCommand: Command = {
  name: "archive",
  summary:
    "move done tasks from PROGRESS.md to PROGRESS-archive.md (one commit)",
  usage: `Usage: gitswarm archive [--repo DIR] [--keep N] [--json]

Moves done tasks, whole blocks with their notes, from PROGRESS.md to PROGRESS-archive.md in the
working tree of --repo, and commits both files ('archive: N done tasks', Swarm-Action: archive).
Ids do not change and archived tasks still count as done for 'needs:'. A done task that a task
left in PROGRESS.md needs stays. Push the commit as usual.

  --repo DIR   the clone to edit (default: the current directory)
  --keep N     leave the last N done tasks in PROGRESS.md (default 0)
  --json       print { ids, commit } as JSON
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandArgs("archive", argv, {
      keep: { type: "string" },
    });
    positionals("archive", rest, []);
    const keep = values.keep === undefined ? 0 : Number(values.keep);
    if (!Number.isInteger(keep) || keep < 0) {
      throw new UserError(
        "usage",
        `gitswarm archive: --keep expects a whole number of tasks, got '${values.keep}'`,
      );
    }
    const result = await archiveProgress(repoDir(io, values.repo), { keep });
    if (values.json) printJson(io, result);
    else if (result.ids.length === 0)
      io.stdout(`Nothing to archive: no done tasks beyond the ${keep} kept.\n`);
    else {
      const ids = result.ids.join(", ");
      io.stdout(
        `Archived ${result.ids.length} done task(s) to PROGRESS-archive.md: ${ids} (commit ${result.commit?.slice(0, 12)}).\n`,
      );
    }
    return ExitCode.ok;
  },
};
