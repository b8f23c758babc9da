/**
 * `gitswarm merge-driver %O %A %B %P`: the command git runs to merge PROGRESS.md (registered by
 * `installMergeDriver`). Not meant for humans, but listed so `git config` entries make sense.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { mergeProgress } from "../../../coordination/progress/merge.js";
import { UserError } from "../../../coordination/base/errors.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  type Command,
  type CommandIo,
} from "../command.js";

const usage = `Usage: gitswarm merge-driver <base> <ours> <theirs> [<path>]

Git's merge driver for PROGRESS.md (git passes %O %A %B %P). Writes the structural merge of the
three versions into <ours> and exits 0. If a version cannot be read as tasks, falls back to git's
line merge: exit 0 if that merges cleanly, else 1 with conflict markers left in <ours>.
Installed in each clone by 'gitswarm init' and by the runner's workspace setup.
`;

export const mergeDriverCommand: Command = {
  name: "merge-driver",
  summary: "git merge driver for PROGRESS.md (run by git, not by hand)",
  usage,
  async run(argv, io) {
    const { positionals: args } = parseCommandArgs("merge-driver", argv, {});
    const names = ["base", "ours", "theirs", "path"];
    const [base, ours, theirs, shown] = positionals(
      "merge-driver",
      args.length === 3 ? [...args, ""] : args,
      names,
    );
    const resolve = (file = "") => path.resolve(io.cwd, file);
    const label = shown || "PROGRESS.md";
    // Bytes in, bytes out: latin1 maps each byte to one char and back, so Latin-1 prose, invalid
    // UTF-8 and lone CRs round-trip exactly; ids and keys are ASCII, UTF-8 titles are opaque runs.
    const read = (file = "") =>
      readFile(resolve(file)).then(
        (bytes) => bytes.toString("latin1"),
        (error: unknown) => {
          throw new UserError(
            "usage",
            `cannot read ${resolve(file)} (${(error as Error).message}); git passes %O %A %B %P`,
          );
        },
      );
    // One after the other, in argument order: the error names the first unreadable file, always.
    const baseText = await read(base);
    const oursText = await read(ours);
    const theirsText = await read(theirs);
    const result = safeMerge(baseText, oursText, theirsText);
    if (result.ok) {
      await writeFile(resolve(ours), Buffer.from(result.text, "latin1"));
      return ExitCode.ok;
    }
    // Git's own line merge keeps every line of both sides (as conflict markers where they overlap).
    // Loaded only here: git runs this command on every merge of PROGRESS.md, so startup counts.
    const { Git } = await import("../../../coordination/git/git.js");
    const fallback = await new Git(io.cwd).tryRun([
      "merge-file",
      "-L",
      `${label} (ours)`,
      "-L",
      `${label} (base)`,
      "-L",
      `${label} (theirs)`,
      resolve(ours),
      resolve(base),
      resolve(theirs),
    ]);
    const head = `gitswarm merge-driver: ${label}: cannot merge task by task: ${result.reason}.`;
    if (fallback.exitCode === 0) {
      io.stderr(
        `${head}\nMerged it line by line instead (no overlapping edits). Fix the file so later merges are structural.\n`,
      );
      return ExitCode.ok;
    }
    // merge-file exits with the number of conflicts, or a negative number (255) when it failed.
    const code = fallback.exitCode ?? 255;
    const conflicts =
      code > 0 && code < 128 ? `${code} conflict(s)` : "an error";
    io.stderr(
      `${head}\nFell back to a line merge, which left ${conflicts} marked with <<<<<<< and >>>>>>> in ${label}${fallback.stderr.trim() ? ` (${fallback.stderr.trim()})` : ""}.\n` +
        `Both sides' text is in the file: resolve the markers, fix the lines named above, then 'git add ${label}'.\n`,
    );
    return ExitCode.failure;
  },
};

/**
 * Runs the driver straight from bin/gitswarm, without loading every other command (git starts
 * one process per merged PROGRESS.md; the full CLI costs about a second more each time).
 */
export async function runMergeDriver(argv: string[]): Promise<number> {
  const io: CommandIo = {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: false,
    signal: new AbortController().signal,
  };
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(usage);
    return ExitCode.ok;
  }
  try {
    return await mergeDriverCommand.run(argv, io);
  } catch (error) {
    io.stderr(`gitswarm merge-driver: ${(error as Error).message}\n`);
    return error instanceof UserError ? ExitCode.usage : ExitCode.failure;
  }
}

/** A bug in the merge must still leave git a line merge, never a half-written file. */
function safeMerge(
  base: string,
  ours: string,
  theirs: string,
): ReturnType<typeof mergeProgress> {
  try {
    return mergeProgress(base, ours, theirs);
  } catch (error) {
    return {
      ok: false,
      reason: `internal error in the structural merge (please report): ${(error as Error).message}`,
    };
  }
}
