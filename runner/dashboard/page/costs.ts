/// <reference lib="dom" />
/** Costs and coordination tax, live: spend over time (a uPlot line chart), spend per agent, claims won and lost. */
import uPlot from "uplot";
import type { DashboardSnapshot } from "../snapshot-types.js";
import { h, usd } from "./dom.js";

/** Renders the costs page; `close()` frees the chart. */
export function renderCosts(snapshot: DashboardSnapshot): {
  el: HTMLElement;
  close: () => void;
} {
  const { costs } = snapshot;
  const max = Math.max(0, ...costs.perAgent.map((a) => a.costUsd));
  const chartBox = h("div", {
    class: "chart",
    role: "img",
    "aria-label": `Spend over time: ${usd(snapshot.run?.costUsd ?? 0)} in all`,
  });
  const el = h(
    "div",
    {},
    h("h2", {}, "Costs and coordination"),
    h(
      "dl",
      { class: "figures" },
      h("dt", {}, "Spent"),
      h("dd", {}, usd(snapshot.run?.costUsd ?? 0)),
      h("dt", {}, "Tasks done"),
      h("dd", {}, snapshot.run?.tasksDone ?? 0),
      h("dt", {}, "Claims won / lost"),
      h("dd", {}, `${costs.claims.won} / ${costs.claims.lost}`),
    ),
    h("h3", {}, "Spend over time"),
    costs.timeline.length === 0
      ? h("p", { class: "muted" }, "No model call yet.")
      : chartBox,
    h("h3", {}, "Spend per agent"),
    h(
      "table",
      { class: "bars" },
      h("caption", { class: "sr-only" }, "Spend per agent"),
      h(
        "tbody",
        {},
        costs.perAgent.map((a) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, a.name),
            h("td", {}, bar(max > 0 ? a.costUsd / max : 0)),
            h(
              "td",
              { class: "num" },
              `${usd(a.costUsd)} · ${a.tokens.toLocaleString("en")} tok`,
            ),
          ),
        ),
      ),
    ),
  );
  let plot: uPlot | undefined;
  if (costs.timeline.length > 0) {
    const xs = costs.timeline.map((p) => Date.parse(p.time) / 1000);
    const ys = costs.timeline.map((p) => p.costUsd);
    requestAnimationFrame(() => {
      plot = new uPlot(
        {
          width: Math.max(240, chartBox.clientWidth),
          height: 220,
          series: [{}, { label: "spent ($)", stroke: "#2563eb", width: 2 }],
          axes: [
            {},
            {
              values: (_u, ticks) => ticks.map((t) => `$${t.toFixed(2)}`),
              size: 60,
            },
          ],
          legend: { show: false },
        },
        [xs, ys],
        chartBox,
      );
    });
  }
  return { el, close: () => plot?.destroy() };
}

function bar(share: number): HTMLElement {
  const el = h("span", { class: "bar" });
  // Through the CSSOM: the page's CSP allows no inline style attributes.
  el.style.width = `${Math.round(share * 100)}%`;
  return el;
}
