/**
 * Commit analytics: the coordination tax of a swarm's git history, for gitswarm's own histories
 * and foreign ones. `analyzeRepository` is the entry; the renderers turn its report into text.
 */
export { analyzeRepository, type AnalyzeOptions } from "./analyze.js";
export { buildReport, type ReportOptions } from "./build-report.js";
export { formatAnalyticsTable } from "./render/table.js";
export { renderAnalyticsHtml } from "./render/html.js";
export { classifyCommit, type ClassifyContext } from "./classify.js";
export { LogParser, logArgs } from "./history/log-parser.js";
export { parseTrailers } from "../../coordination/git/trailers.js";
export { REPORT_SCHEMA_VERSION } from "./report.js";
export { BUCKETS, type Bucket } from "./stats.js";
export { foldCosts, type CostFigures, type CostRow } from "./costs.js";
export { findEventLogs, readEventLogs } from "./history/events-log.js";
export type {
  AnalyticsReport,
  AgentFigures,
  TimePoint,
  TaxFigures,
  DuplicateTask,
  NearDuplicateGroup,
  LockBreak,
} from "./report.js";
export type { CommitClass, CommitRecord, ClassifiedCommit } from "./types.js";
