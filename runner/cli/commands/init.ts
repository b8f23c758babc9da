/** `gitswarm init`: scaffold a swarm repo, or set up a clone of one (idempotent). */
import { Git } from "../../../coordination/git/git.js";
import { initSwarmRepo } from "../../init-repo.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
} from "../command.js";

export const initCommand: Command = {
  name: "init",
  summary:
    "scaffold PROGRESS.md, DESIGN.md, config, oracle/, CI workflow; set up the merge driver",
  usage: `Usage: gitswarm init [--repo DIR] [--json]

In an empty directory or git repository: writes PROGRESS.md, DESIGN.md, gitswarm.config.yaml,
oracle/README.md, .github/workflows/gitswarm-oracle.yml, .gitignore and .gitattributes lines, and
commits them. In an existing swarm repo or a fresh clone of one: only registers the PROGRESS.md
merge driver in the clone's git config. Never overwrites a file.`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("init", argv, {});
    positionals("init", args, []);
    const dir = repoDir(io, values.repo);
    const result = await initSwarmRepo(dir);
    const legacy = await readLegacyLayout(dir);
    if (legacy.length > 0)
      io.stderr(
        `${dir}: main holds ${legacy.length} lock file(s) of gitswarm's previous layout (${legacy[0]}…); locks now live on task refs. Move them, keeping every claim: gitswarm locks migrate --as NAME\n`,
      );
    if (values.json) printJson(io, result);
    else if (result.created.length === 0)
      io.stdout(
        `${dir}: already a swarm repo; merge driver set up for this clone\n`,
      );
    else {
      io.stdout(`${dir}: created ${result.created.join(", ")}\n`);
      io.stdout(
        `Next: add tasks with 'gitswarm add ID "Title"', then 'gitswarm run'.\n`,
      );
    }
    return ExitCode.ok;
  },
};

/** Lock files committed on HEAD: the repo (or hub) uses the previous layout. */
async function readLegacyLayout(dir: string): Promise<string[]> {
  const listing = await new Git(dir).tryRun([
    "ls-tree",
    "--name-only",
    "HEAD",
    "locks/",
  ]);
  return listing.ok
    ? listing.stdout.split("\n").filter((f) => f.endsWith(".md"))
    : [];
}
