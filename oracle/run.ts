/**
 * `runOracle`: the differential test run. Reads the cases, plans where each expected output comes
 * from, runs the reference (when needed) and the candidate for every case in parallel, each in its
 * own process group with its timeout, reuses cached outcomes, and judges each case.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { UserError } from "../coordination/base/errors.js";
import {
  fingerprintInputs,
  isCacheable,
  outcomeCacheKey,
  readCachedOutcome,
  writeCachedOutcome,
} from "./process/cache.js";
import { listCaseIds, readCases, type OracleCase } from "./cases.js";
import type { OracleConfig } from "./config.js";
import { executeCaseCommand } from "./process/execute.js";
import { describeUnavailable, planExpected } from "./plan.js";
import { settingsForCase } from "./overrides.js";
import { mapPool } from "./process/pool.js";
import { commandProgram } from "./process/command.js";
import {
  readRecordedOutput,
  readRecording,
  type Recording,
} from "./reference/recording.js";
import {
  assertReferenceAvailable,
  isCommandNotFound,
  referenceMissing,
} from "./reference/reference.js";
import { sampleCaseIds, type SampleSpec } from "./sample.js";
import type {
  CaseResult,
  CommandOutcome,
  ExpectedSource,
  OracleReport,
} from "./types.js";
import {
  describeBrokenRun,
  judgeCandidate,
  type Expected,
} from "./compare/verdict.js";

/** What `runOracle` needs: the swarm repo, its oracle config, and optional sampling, cache and progress. */
export interface RunOracleOptions {
  repoDir: string;
  config: OracleConfig;
  sample?: SampleSpec;
  signal?: AbortSignal;
  /** Reuse cached outcomes (default true). */
  useCache?: boolean;
  /** Keep the full outputs of failed cases (for `oracle diff`), not just the first few KiB. */
  fullDetail?: boolean;
  /** Called as each case finishes, for live progress. */
  onCase?: (result: CaseResult) => void;
}

/**
 * Runs the oracle and returns the report; failed cases are values in it. Throws UserError for bad
 * input: no candidate, a glob matching nothing, an unreadable case, no expected output, a missing
 * reference binary.
 */
export async function runOracle(
  options: RunOracleOptions,
): Promise<OracleReport> {
  const started = performance.now();
  const { repoDir, config } = options;
  const candidate = config.candidate;
  if (candidate === undefined) {
    throw new UserError(
      "oracle-no-candidate",
      "oracle.candidate is not set: add it to gitswarm.config.yaml or pass --candidate CMD",
    );
  }
  const allIds = await listCaseIds(repoDir, config.cases, config.expectSuffix);
  const ids = options.sample
    ? [...sampleCaseIds(allIds, options.sample)].sort()
    : allIds;
  const cases = await readCases(repoDir, ids, config.expectSuffix);
  const recording =
    config.recording === "off"
      ? undefined
      : await readRecording(repoDir, config.recordingDir);
  const plannable = cases.map((c) => ({
    id: c.id,
    sha256: c.sha256,
    hasExpectFile: c.expectFile !== undefined,
  }));
  const plan = planExpected(
    plannable,
    recording,
    config.recording,
    config.reference,
  );
  if (plan.unavailable.length > 0) {
    throw new UserError(
      "oracle-no-expected",
      describeUnavailable(
        plan.unavailable,
        config.recording,
        config.expectSuffix,
      ),
    );
  }
  const needsReference = [...plan.sources.values()].includes("reference");
  if (needsReference && config.reference !== undefined) {
    const stale =
      plan.stale.length > 0
        ? `${plan.stale.length} recording(s) are stale, e.g. ${plan.stale[0]}`
        : undefined;
    await assertReferenceAvailable(
      repoDir,
      config.reference,
      config.referenceInstallHint,
      stale,
    );
  }
  const jobs = config.jobs ?? availableParallelism();
  const runner = await makeCommandRunner(options, candidate);
  // A thrown error (missing reference found mid-run) stops the cases still running.
  const stop = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, stop.signal])
    : stop.signal;
  const results = await mapPool(cases, jobs, async (c) => {
    try {
      const result = await runCase(c, plan.sources.get(c.id) ?? "reference", {
        run: runner,
        signal,
        recording,
        options,
      });
      options.onCase?.(result);
      return result;
    } catch (error) {
      stop.abort(error);
      throw error;
    }
  });
  return {
    cases: results,
    passed: results.filter((r) => r.status === "passed").length,
    failed: results.filter((r) => r.status === "failed").length,
    skipped: results.filter((r) => r.status === "skipped").length,
    total: allIds.length,
    ...(options.sample ? { sample: options.sample } : {}),
    jobs,
    durationMs: performance.now() - started,
    staleRecordings: plan.stale,
  };
}

type Role = "reference" | "candidate";
type CommandRunner = (
  role: Role,
  c: OracleCase,
  signal: AbortSignal,
) => Promise<{ outcome: CommandOutcome; cached: boolean }>;

async function makeCommandRunner(
  options: RunOracleOptions,
  candidate: string,
): Promise<CommandRunner> {
  const { repoDir, config } = options;
  const useCache = options.useCache ?? true;
  const cacheDir = path.resolve(repoDir, config.cacheDir);
  const inputs = {
    candidate: await fingerprintInputs(
      repoDir,
      config.candidateInputs,
      candidate,
    ),
    reference: await fingerprintInputs(repoDir, [], config.reference),
  };
  return async (role, c, signal) => {
    const template =
      role === "candidate" ? candidate : (config.reference as string);
    const limits = {
      timeoutMs: config.timeout,
      maxOutputBytes: config.maxOutputBytes,
    };
    const key = outcomeCacheKey({
      role,
      command: template,
      caseSha256: c.sha256,
      inputsSha256: inputs[role],
      ...limits,
    });
    const hit = useCache ? await readCachedOutcome(cacheDir, key) : undefined;
    if (hit !== undefined) return { outcome: hit, cached: true };
    const outcome = await executeCaseCommand({
      template,
      casePath: c.path,
      content: c.content,
      repoDir,
      signal,
      confine: role === "candidate",
      ...limits,
    });
    if (useCache && isCacheable(outcome))
      await writeCachedOutcome(cacheDir, key, outcome);
    return { outcome, cached: false };
  };
}

interface CaseContext {
  run: CommandRunner;
  signal: AbortSignal;
  recording: Recording | undefined;
  options: RunOracleOptions;
}

async function runCase(
  c: OracleCase,
  source: ExpectedSource,
  context: CaseContext,
): Promise<CaseResult> {
  const started = performance.now();
  const { run, signal, recording } = context;
  const { config, repoDir } = context.options;
  const limits = {
    timeoutMs: config.timeout,
    maxOutputBytes: config.maxOutputBytes,
  };
  const done = (
    fields: Omit<CaseResult, "id" | "durationMs" | "source">,
  ): CaseResult => ({
    id: c.id,
    ...fields,
    durationMs: Math.round(performance.now() - started),
    source,
  });
  // After Ctrl-C, cases not started yet are skipped rather than started and killed.
  if (signal.aborted) return done({ status: "skipped", reason: "aborted" });
  let expected: Expected;
  if (source === "expect-file")
    expected = { stdout: c.expectFile as Uint8Array };
  else if (source === "recording") {
    expected = {
      stdout: await readRecordedOutput(repoDir, config.recordingDir, c.id),
      exitCode: recording?.cases[c.id]?.exitCode ?? null,
    };
  } else {
    const { outcome } = await run("reference", c, signal);
    const reference = config.reference ?? "";
    if (isCommandNotFound(outcome))
      throw referenceMissing(
        commandProgram(reference) ?? reference,
        reference,
        config.referenceInstallHint,
      );
    const broken = describeBrokenRun(outcome, limits);
    if (broken !== undefined)
      return done({ status: "skipped", reason: `reference ${broken}` });
    expected = { stdout: outcome.stdout, exitCode: outcome.exitCode };
  }
  const { outcome, cached } = await run("candidate", c, signal);
  if (outcome.aborted) return done({ status: "skipped", reason: "aborted" });
  const verdict = judgeCandidate(expected, outcome, {
    ...settingsForCase(config, c.id),
    ...limits,
    ...(context.options.fullDetail ? { detailChars: Infinity } : {}),
  });
  return done({ ...verdict, cached });
}
