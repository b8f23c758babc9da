/** `gitswarm progress accept`: confirm an edit of PROGRESS.md that the running swarm held. */
import { UserError } from "../../../coordination/base/errors.js";
import {
  acceptProgressEdit,
  readHeldEdit,
} from "../../swarm/checkout/progress-hold.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
} from "../command.js";

/** The progress command. */
export const progressCommand: Command = {
  name: "progress",
  summary: "confirm an edit of PROGRESS.md the swarm held (progress accept)",
  usage: `Usage: gitswarm progress accept [--repo DIR] [--json]
       gitswarm progress held [--repo DIR] [--json]

While 'gitswarm run' runs, your edits of PROGRESS.md reach the swarm within seconds. An edit that
looks like an accident is held instead, and the run says why: the file cut off mid-line or left
with no tasks, the '## Tasks' heading gone, many tasks deleted or rewritten at once, or a task done
on the hub unchecked again (an editor's stale copy saved over the check-off).

  accept   send PROGRESS.md as it is now to the swarm anyway (the running or the next run).
           Editing the file again instead is reviewed afresh.
  held     show what is held and why (exit 1 when something is held)

To reopen a done task on purpose, add a line '- reopen: why' under it (no accept needed).
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandArgs(
      "progress",
      argv,
      {},
    );
    const [action = ""] = positionals("progress", rest, ["ACTION"]);
    const dir = repoDir(io, values.repo);
    if (action === "held") {
      const held = await readHeldEdit(dir);
      if (values.json) printJson(io, { held: held ?? null });
      else if (held === undefined)
        io.stdout("No edit of PROGRESS.md is held.\n");
      else
        io.stdout(
          `Held since ${held.at}:\n${held.findings.map((f) => `  - ${f.message}`).join("\n")}\nRun 'gitswarm progress accept' to send it anyway, or edit PROGRESS.md again.\n`,
        );
      return held === undefined ? ExitCode.ok : ExitCode.failure;
    }
    if (action !== "accept")
      throw new UserError(
        "usage",
        `gitswarm progress: unknown action '${action}'; use 'accept' or 'held'`,
      );
    const result = await acceptProgressEdit(dir);
    if (values.json) printJson(io, result);
    else if (result.held !== undefined)
      io.stdout(
        `Accepted: the held edit of PROGRESS.md goes to the swarm at the next sync, although\n${result.held.findings.map((f) => `  - ${f.message}`).join("\n")}\n`,
      );
    else
      io.stdout(
        "Accepted PROGRESS.md as it is now: the swarm takes it at the next sync, whatever it looks like.\n",
      );
    return ExitCode.ok;
  },
};
