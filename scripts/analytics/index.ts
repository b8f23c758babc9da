/**
 * Commit analytics: the coordination tax of a swarm's git history, for gitswarm's own histories
 * and foreign ones. `analyzeRepository` is the entry; the renderers turn its report into text.
 */
export { analyzeRepository } from "./analyze.js";
export { formatAnalyticsTable } from "./render/table.js";
export { renderAnalyticsHtml } from "./render/html.js";
export { BUCKETS } from "./stats.js";
export { findEventLogs } from "./history/events-log.js";
export type { AnalyticsReport } from "./report.js";
