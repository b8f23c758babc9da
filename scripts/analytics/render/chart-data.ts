/**
 * The data the HTML report's uPlot charts draw, as plain JSON embedded in the page (no imports:
 * the browser script and the renderer share it).
 */

/** The coordination tax per time bucket: stacked commits and the two shares. */
export interface TimeChartData {
  /** Bucket starts, seconds since the epoch (uPlot's time axis). */
  x: number[];
  /** Each bucket's label, as the table shows it. */
  labels: string[];
  coordination: number[];
  other: number[];
  /** 0..1 */
  commitShare: number[];
  lineShare: number[];
}

/** The lock hold-time histogram. */
export interface HoldChartData {
  labels: string[];
  counts: number[];
}

/** Everything the page's script draws. */
export interface ReportChartData {
  time: TimeChartData;
  holds: HoldChartData;
}

/** The colours of the report, charts and bars alike. */
export const COLORS = {
  coordination: "#c2410c",
  work: "#1d6fa5",
  other: "#8a8a8a",
  commitShare: "#222222",
  lineShare: "#7b2cbf",
} as const;
