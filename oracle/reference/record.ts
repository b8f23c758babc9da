/**
 * `gitswarm oracle record`: run the reference once over every case and store its outputs, so CI
 * and agents without the reference binary can still run the oracle (see recording.ts).
 */
import { availableParallelism } from "node:os";
import { UserError } from "../../coordination/base/errors.js";
import { listCaseIds, readCases } from "../cases.js";
import { commandProgram } from "../process/command.js";
import type { OracleConfig } from "../config.js";
import { executeCaseCommand } from "../process/execute.js";
import { mapPool } from "../process/pool.js";
import { writeRecording, type RecordedCase } from "./recording.js";
import {
  assertReferenceAvailable,
  isCommandNotFound,
  referenceMissing,
} from "./reference.js";
import { describeBrokenRun } from "../compare/verdict.js";

/** What a recording run did: cases recorded, and cases left out because the reference failed on them. */
export interface RecordReport {
  recorded: number;
  failures: { id: string; reason: string }[];
  recordingDir: string;
}

/**
 * Records the reference's output for every case (cases with an expected-output file included, so
 * a recording is complete). Throws UserError when no reference is configured or it is missing.
 */
export async function recordReference(options: {
  repoDir: string;
  config: OracleConfig;
  signal?: AbortSignal;
}): Promise<RecordReport> {
  const { repoDir, config } = options;
  const reference = config.reference;
  if (reference === undefined) {
    throw new UserError(
      "oracle-no-reference",
      "oracle.reference is not set: add it to gitswarm.config.yaml or pass --reference CMD",
    );
  }
  await assertReferenceAvailable(
    repoDir,
    reference,
    config.referenceInstallHint,
  );
  const cases = await readCases(
    repoDir,
    await listCaseIds(repoDir, config.cases, config.expectSuffix),
    config.expectSuffix,
  );
  const limits = {
    timeoutMs: config.timeout,
    maxOutputBytes: config.maxOutputBytes,
  };
  const failures: RecordReport["failures"] = [];
  const recorded = await mapPool(
    cases,
    config.jobs ?? availableParallelism(),
    async (c): Promise<RecordedCase | undefined> => {
      const outcome = await executeCaseCommand({
        template: reference,
        casePath: c.path,
        content: c.content,
        repoDir,
        ...limits,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (isCommandNotFound(outcome))
        throw referenceMissing(
          commandProgram(reference) ?? reference,
          reference,
          config.referenceInstallHint,
        );
      const broken = describeBrokenRun(outcome, limits);
      if (broken !== undefined) {
        failures.push({ id: c.id, reason: `reference ${broken}` });
        return undefined;
      }
      return {
        id: c.id,
        sha256: c.sha256,
        exitCode: outcome.exitCode,
        stdout: outcome.stdout,
      };
    },
  );
  if (options.signal?.aborted)
    throw new UserError(
      "aborted",
      "recording interrupted; nothing was written",
    );
  const complete = recorded.filter((r): r is RecordedCase => r !== undefined);
  await writeRecording(repoDir, config.recordingDir, reference, complete);
  return {
    recorded: complete.length,
    failures: failures.sort((a, b) => (a.id < b.id ? -1 : 1)),
    recordingDir: config.recordingDir,
  };
}
