/** The oracle's public API: differential tests of a candidate against a reference. */
export {
  oracleConfigSchema,
  comparatorKinds,
  recordingModes,
  type OracleConfig,
  type OracleConfigInput,
  type ComparatorKind,
  type RecordingMode,
} from "./config.js";
export {
  loadOracleConfig,
  CONFIG_FILE,
  type OracleOverrides,
} from "./load-config.js";
export { runOracle, type RunOracleOptions } from "./run.js";
export { recordReference, type RecordReport } from "./reference/record.js";
export { diffOracleCase, renderLineDiff } from "./diff.js";
export { formatOracleSummary, formatCounts } from "./report/summary.js";
export { renderJunit } from "./report/junit.js";
export {
  readBaseline,
  writeBaseline,
  renderBaseline,
  applyRatchet,
  BASELINE_PATH,
  type Baseline,
  type RatchetResult,
} from "./ratchet.js";
export {
  ciWorkflowYaml,
  writeCiWorkflow,
  CI_WORKFLOW_PATH,
  type CiWorkflowOptions,
} from "./ci-workflow.js";
export {
  compareOutputs,
  type Comparison,
  type CompareOptions,
} from "./compare/compare.js";
export {
  parseSampleFraction,
  sampleCaseIds,
  type SampleSpec,
} from "./sample.js";
export type {
  CaseResult,
  CaseStatus,
  OracleReport,
  ExpectedSource,
} from "./types.js";
