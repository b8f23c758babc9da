/** `gitswarm analytics`: the coordination tax of a repository's history (table, JSON, HTML). */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import {
  BUCKETS as WIDTHS,
  analyzeRepository,
  findEventLogs,
  formatAnalyticsTable,
  renderAnalyticsHtml,
} from "../../../scripts/analytics/index.js";
import { UserError } from "../../../coordination/base/errors.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
} from "../command.js";

const BUCKETS = [...WIDTHS, "auto"] as const;

/** The analytics command. */
export const analyticsCommand: Command = {
  name: "analytics",
  summary:
    "coordination tax, lock hold times and duplicate work from the git history",
  usage: `Usage: gitswarm analytics [--repo DIR] [--ref REF | --all] [--locks-dir DIR] [--bucket B] [--max-commits N] [--events FILE]... [--json] [--html FILE]

Reads the history in one streaming git log pass and reports the share of commits and of changed
lines that are coordination (claims, releases, stale-lock breaks, PROGRESS.md edits, heartbeats),
per agent and over time, lock hold times, claim-to-done latency and duplicate claims. In a gitswarm
repository the per-task coordination log on refs/swarm/tasks/* is read in the same pass, and the
runs' event logs give spend per agent and per task, attempts and the spend wasted on failures.

  --repo DIR        repository to analyse (default: the current directory)
  --ref REF         branch or commit whose history to read (default: HEAD)
  --all             read every ref (work branches included) instead of one
  --locks-dir DIR   lock folder of a foreign history (default: locks/, else detected)
  --bucket B        time bucket for figures over time: 5s, 15s, 30s, minute, 5min, 15min,
                    hour, day, week, or auto (default: fits the history's span)
  --max-commits N   only the newest N commits (a quick look at recent tax)
  --events FILE     a run's events.jsonl for the cost section; repeat for several runs
                    (default: every run under the repository's .gitswarm/runs/)
  --json            print the report as JSON (schema: scripts/analytics/report.ts)
  --html FILE       also write a self-contained HTML report with charts to FILE
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandArgs("analytics", argv, {
      ref: { type: "string" },
      all: { type: "boolean", default: false },
      "locks-dir": { type: "string" },
      bucket: { type: "string", default: "auto" },
      html: { type: "string" },
      "max-commits": { type: "string" },
      events: { type: "string", multiple: true },
    });
    positionals("analytics", rest, []);
    if (values.all && values.ref !== undefined)
      throw new UserError(
        "usage",
        "gitswarm analytics: --ref and --all exclude each other",
      );
    const bucket = BUCKETS.find((b) => b === values.bucket);
    if (bucket === undefined)
      throw new UserError(
        "usage",
        `gitswarm analytics: --bucket must be one of ${BUCKETS.join(", ")}, got '${values.bucket}'`,
      );
    const maxCommits =
      values["max-commits"] === undefined
        ? undefined
        : Number(values["max-commits"]);
    if (
      maxCommits !== undefined &&
      !(Number.isInteger(maxCommits) && maxCommits > 0)
    ) {
      throw new UserError(
        "usage",
        `gitswarm analytics: --max-commits takes a positive whole number, got '${values["max-commits"]}'`,
      );
    }
    const dir = repoDir(io, values.repo);
    const report = await analyzeRepository({
      repoDir: dir,
      eventLogs:
        values.events === undefined
          ? await findEventLogs(dir)
          : values.events.map((file) => path.resolve(io.cwd, file)),
      ref: values.ref,
      all: values.all,
      locksDir: values["locks-dir"],
      bucket,
      maxCommits,
      signal: io.signal,
    });
    if (values.html !== undefined) {
      const file = path.resolve(io.cwd, values.html);
      await writeFile(file, renderAnalyticsHtml(report)).catch(
        (error: unknown) => {
          throw new UserError(
            "bad-output",
            `cannot write the HTML report to ${file}: ${(error as Error).message}`,
            { cause: error },
          );
        },
      );
      if (!values.json) io.stderr(`HTML report written to ${file}\n`);
    }
    if (values.json) printJson(io, report);
    else io.stdout(formatAnalyticsTable(report));
    return ExitCode.ok;
  },
};
