/** `gitswarm oracle`: run the differential tests (and `oracle record`, `oracle diff CASE`). */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import {
  applyRatchet,
  diffOracleCase,
  formatOracleSummary,
  loadOracleConfig,
  parseSampleFraction,
  readBaseline,
  recordReference,
  renderJunit,
  runOracle,
  writeBaseline,
  BASELINE_PATH,
  type OracleOverrides,
} from "../../../oracle/index.js";
import { UserError } from "../../../coordination/base/errors.js";
import {
  ExitCode,
  parseCommandArgs,
  printJson,
  repoDir,
  type CommandIo,
} from "../command.js";
import type { Command } from "../command.js";

const OPTIONS = {
  junit: { type: "string" },
  sample: { type: "string" },
  seed: { type: "string" },
  cases: { type: "string", multiple: true },
  reference: { type: "string" },
  candidate: { type: "string" },
  compare: { type: "string" },
  timeout: { type: "string" },
  jobs: { type: "string" },
  recording: { type: "string" },
  "no-cache": { type: "boolean", default: false },
  ratchet: { type: "boolean", default: false },
} as const;

/** The oracle command. */
export const oracleCommand: Command = {
  name: "oracle",
  summary: "run the differential tests (candidate vs reference); record, diff",
  usage: `Usage: gitswarm oracle [options]            run every case (or a sample); exit 0 all pass, 1 failures
       gitswarm oracle record [options]     run the reference once and store its outputs (oracle/expected/)
       gitswarm oracle diff CASE [options]  show expected vs actual of one case as a diff

Settings come from the oracle: section of gitswarm.config.yaml; each option below overrides one.
Prints a few lines ending with 'N passed, N failed' (', N skipped' may follow).

  --repo DIR         swarm repository (default: the current directory)
  --cases GLOB       case files, relative to the repo (repeatable)
  --reference CMD    shell command giving the expected output; {case} = case path, else stdin
  --candidate CMD    shell command of the thing being built (same {case}/stdin rule)
  --compare KINDS    exact | whitespace | unordered | numeric, comma-combined (e.g. unordered,numeric)
  --timeout D        per-command timeout (10s, 500ms, 2m)
  --jobs N           cases in parallel (default: the number of cores)
  --recording MODE   auto (fresh recordings, else live reference) | only (CI: never run it) | off
  --sample P         run a deterministic sample, e.g. 10%; --seed NAME picks which (default: default)
  --no-cache         run everything again instead of reusing cached results
  --ratchet          gate on ${BASELINE_PATH}: exit 1 only if a baseline case now fails (named);
                     newly passing cases are added to the baseline
  --json             print the full report as JSON
  --junit FILE       also write a JUnit XML report to FILE
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandArgs(
      "oracle",
      argv,
      OPTIONS,
    );
    const dir = repoDir(io, values.repo);
    const config = await loadOracleConfig(dir, overridesOf(values));
    const [sub, ...args] = rest;
    if (sub === "record" && args.length === 0)
      return record(dir, config, io, values.json);
    if (sub === "diff" && args.length === 1)
      return diff(dir, config, args[0] as string, io, values.json);
    if (sub !== undefined)
      throw new UserError(
        "usage",
        `unknown arguments '${rest.join(" ")}': use 'oracle', 'oracle record' or 'oracle diff CASE'`,
      );
    const sample = sampleOf(values.sample, values.seed);
    const onCase = progress(io);
    const report = await runOracle({
      repoDir: dir,
      config,
      signal: io.signal,
      useCache: !values["no-cache"],
      ...(sample ? { sample } : {}),
      ...(onCase ? { onCase } : {}),
    });
    if (onCase) io.stderr("\r\x1b[K");
    if (values.junit !== undefined)
      await writeReport(
        path.resolve(io.cwd, values.junit),
        renderJunit(report),
      );
    let code: ExitCode = report.failed > 0 ? ExitCode.failure : ExitCode.ok;
    let ratchet: ReturnType<typeof applyRatchet> | undefined;
    const interrupted = io.signal.aborted;
    // An interrupted run proves nothing about the cases it skipped: no ratchet verdict, exit 1.
    if (values.ratchet && !interrupted) {
      const baseline = await readBaseline(dir);
      ratchet = applyRatchet(baseline, report);
      // Raised, or (after a full run) cleared of cases that no longer exist.
      const changed =
        ratchet.ok &&
        ratchet.baseline.passing.join("\n") !== baseline.passing.join("\n");
      if (ratchet.ok && changed) await writeBaseline(dir, ratchet.baseline);
      code = ratchet.ok ? ExitCode.ok : ExitCode.failure;
    }
    if (interrupted) {
      io.stderr(`oracle: interrupted; ${report.skipped} case(s) not run\n`);
      code = ExitCode.failure;
    }
    if (values.json)
      printJson(io, { ...report, ...(ratchet ? { ratchet } : {}) });
    else {
      if (ratchet) io.stdout(ratchetLine(ratchet) + "\n");
      io.stdout(formatOracleSummary(report) + "\n");
    }
    return code;
  },
};

function overridesOf(values: {
  cases?: string[];
  reference?: string;
  candidate?: string;
  compare?: string;
  timeout?: string;
  jobs?: string;
  recording?: string;
}): OracleOverrides {
  let jobs: number | string | undefined = values.jobs;
  if (values.jobs !== undefined && /^\d+$/.test(values.jobs))
    jobs = Number(values.jobs);
  return {
    cases: values.cases,
    reference: values.reference,
    candidate: values.candidate,
    compare: values.compare,
    timeout: values.timeout,
    jobs,
    recording: values.recording,
  };
}

function sampleOf(sample: string | undefined, seed: string | undefined) {
  if (sample === undefined) {
    if (seed !== undefined)
      throw new UserError(
        "usage",
        "--seed needs --sample (e.g. --sample 10% --seed agent-1)",
      );
    return undefined;
  }
  const fraction = parseSampleFraction(sample);
  if (fraction === undefined)
    throw new UserError(
      "usage",
      `--sample: invalid fraction '${sample}': write e.g. 10% or 0.1`,
    );
  return { fraction, seed: seed ?? "default" };
}

function progress(io: CommandIo) {
  if (!io.isTty) return undefined;
  let done = 0;
  return () => {
    done += 1;
    io.stderr(`\r\x1b[Koracle: ${done} case(s) done`);
  };
}

function ratchetLine(ratchet: ReturnType<typeof applyRatchet>): string {
  if (!ratchet.ok) {
    const names =
      ratchet.regressions.slice(0, 10).join(", ") +
      (ratchet.regressions.length > 10 ? ", ..." : "");
    return `ratchet: REJECTED: ${ratchet.regressions.length} case(s) of ${BASELINE_PATH} now fail: ${names}`;
  }
  const raised =
    ratchet.raised.length > 0
      ? `raised by ${ratchet.raised.length}`
      : "unchanged";
  return `ratchet: ok, baseline ${raised} (${ratchet.baseline.passing.length} passing case(s))`;
}

async function record(
  dir: string,
  config: Awaited<ReturnType<typeof loadOracleConfig>>,
  io: CommandIo,
  json: boolean,
): Promise<ExitCode> {
  const report = await recordReference({
    repoDir: dir,
    config,
    signal: io.signal,
  });
  if (json) printJson(io, report);
  else {
    for (const failure of report.failures.slice(0, 5))
      io.stdout(`NOT RECORDED ${failure.id}: ${failure.reason}\n`);
    io.stdout(
      `recorded ${report.recorded} case(s) into ${report.recordingDir}/, ${report.failures.length} failed\n`,
    );
  }
  return report.failures.length > 0 ? ExitCode.failure : ExitCode.ok;
}

async function diff(
  dir: string,
  config: Awaited<ReturnType<typeof loadOracleConfig>>,
  caseId: string,
  io: CommandIo,
  json: boolean,
): Promise<ExitCode> {
  // Accept the case relative to the repo (as reports name it) or to the current directory.
  const fromCwd = path.resolve(io.cwd, caseId);
  const relative =
    !existsSync(path.join(dir, caseId)) && existsSync(fromCwd)
      ? path.relative(dir, fromCwd)
      : caseId;
  const { result, diff: text } = await diffOracleCase({
    repoDir: dir,
    config,
    caseId: relative,
    signal: io.signal,
  });
  if (json) printJson(io, { ...result, diff: text });
  else {
    io.stdout(
      `${result.id}: ${result.status}${result.reason ? `: ${result.reason}` : ""}\n`,
    );
    if (text !== "") io.stdout(text + "\n");
  }
  return result.status === "failed" ? ExitCode.failure : ExitCode.ok;
}

async function writeReport(file: string, text: string): Promise<void> {
  await writeFile(file, text).catch((error: unknown) => {
    throw new UserError(
      "bad-output",
      `cannot write the JUnit report to ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  });
}
