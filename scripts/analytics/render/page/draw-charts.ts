/// <reference lib="dom" />
/**
 * The HTML report's chart script (bundled with uPlot by esbuild, inlined in the page): reads the
 * embedded data and draws the tax over time (stacked bars with the share lines on a 0–100 % axis)
 * and the hold-time histogram, each as wide as its box and redrawn when the box resizes.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { COLORS, type ReportChartData } from "../chart-data.js";

const data = JSON.parse(
  document.getElementById("report-data")?.textContent ?? "{}",
) as ReportChartData;

function sized(box: HTMLElement, make: (width: number) => uPlot): void {
  let plot = make(box.clientWidth);
  new ResizeObserver(() => {
    if (Math.abs(plot.width - box.clientWidth) < 2) return;
    plot.destroy();
    plot = make(box.clientWidth);
  }).observe(box);
}

const bars = (fill: string, stroke = fill): uPlot.Series => ({
  fill,
  stroke,
  paths: uPlot.paths.bars?.({ size: [0.8, 60] }),
  points: { show: false },
});

function drawTime(box: HTMLElement): void {
  const t = data.time;
  // Stacked: the coordination bar is drawn over the total, from zero.
  const total = t.coordination.map((c, i) => c + (t.other[i] ?? 0));
  sized(
    box,
    (width) =>
      new uPlot(
        {
          width,
          height: 260,
          // Bars stand on zero, whatever the smallest bucket.
          scales: {
            x: { time: true },
            y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
            share: { range: [0, 1] },
          },
          series: [
            {
              label: "time",
              value: (_u, _v, _s, i) => t.labels[i ?? -1] ?? "",
            },
            { label: "other commits", ...bars(COLORS.work) },
            { label: "coordination commits", ...bars(COLORS.coordination) },
            {
              label: "commit share",
              scale: "share",
              stroke: COLORS.commitShare,
              width: 2,
              value: (_u, v) => (v === null ? "" : `${(v * 100).toFixed(1)}%`),
            },
            {
              label: "line share",
              scale: "share",
              stroke: COLORS.lineShare,
              width: 2,
              dash: [5, 3],
              value: (_u, v) => (v === null ? "" : `${(v * 100).toFixed(1)}%`),
            },
          ],
          axes: [
            {},
            { label: "commits", size: 50 },
            {
              scale: "share",
              side: 1,
              size: 50,
              grid: { show: false },
              values: (_u, ticks) =>
                ticks.map((v) => `${Math.round(v * 100)}%`),
            },
          ],
        },
        [t.x, total, t.coordination, t.commitShare, t.lineShare],
        box,
      ),
  );
}

function drawHolds(box: HTMLElement): void {
  const h = data.holds;
  const x = h.labels.map((_, i) => i);
  sized(
    box,
    (width) =>
      new uPlot(
        {
          width,
          height: 220,
          scales: { x: { time: false, range: [-0.5, x.length - 0.5] } },
          series: [
            { label: "hold", value: (_u, v) => h.labels[v] ?? "" },
            { label: "claims ended", ...bars(COLORS.work) },
          ],
          axes: [
            {
              // Category labels: one tick per bin, thinned by uPlot's spacing so they never overlap.
              splits: () => x,
              values: (_u, ticks) => ticks.map((i) => h.labels[i] ?? ""),
              space: 40,
            },
            { label: "claims", size: 50 },
          ],
        },
        [x, h.counts],
        box,
      ),
  );
}

const time = document.querySelector<HTMLElement>('[data-chart="time"]');
if (time && data.time?.x.length) drawTime(time);
const holds = document.querySelector<HTMLElement>('[data-chart="holds"]');
if (holds && data.holds?.labels.length) drawHolds(holds);
