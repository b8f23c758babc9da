/**
 * The HTML report: one self-contained page (inline CSS, data and script, no network) with the tax
 * over time and the hold-time distribution drawn by uPlot (chart-script.ts), per-agent, per-class
 * and cost bars in HTML (labels wrap, never clipped), and the tables behind them. Readable from a
 * 390 px phone (no sideways scroll: wide tables scroll in their own box) to a wide screen.
 */
import { costHtml } from "./cost-render.js";
import { formatQueueFigures } from "../queue.js";
import type { AnalyticsReport } from "../report.js";
import { bucketLabel, formatBucketStart } from "../stats.js";
import { escapeXml, htmlBars } from "./html-bars.js";
import { duration, percent } from "./text-format.js";
import { COMMIT_CLASSES, COORDINATION_CLASSES } from "../types.js";
import { COLORS, type ReportChartData } from "./chart-data.js";
import { chartScript } from "./chart-script.js";

const COORD = COLORS.coordination;
const WORK = COLORS.work;
const OTHER = COLORS.other;

const STYLE = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:24px auto;max-width:960px;padding:0 12px;color:#222}
h1,h2,p,.card{overflow-wrap:anywhere}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.headline{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;padding:10px 16px;flex:1 1 9rem}
.card b{display:block;font-size:26px}.table-wrap{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:13px}
td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}td:first-child,th:first-child{text-align:left}
.muted{color:#666;font-size:13px}.chart{width:100%;min-height:40px}
.hbars{font-size:13px}.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:4px 0 8px}.legend i{display:inline-block;width:10px;height:10px;margin-right:5px}
.hrow{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,5fr) auto;gap:8px;align-items:center;margin:3px 0}
.hlabel{overflow-wrap:anywhere}.htrack{display:flex;height:14px}.htotal{min-width:2.5em;text-align:right}
.u-legend{font-size:12px}.u-legend .u-series{display:inline-block}`;

/** Renders the report as a complete HTML document (a string to write to a file). */
export function renderAnalyticsHtml(report: AnalyticsReport): string {
  const t = report.totals;
  const body = [
    `<h1>Coordination tax — ${escapeXml(report.repo)}</h1>`,
    `<p class="muted">${report.commits} commits (${escapeXml(report.revisions)}), ${report.firstCommitAt ?? "-"} to ${report.lastCommitAt ?? "-"}; ` +
      (report.taskRefs.refs > 0
        ? `locks on task refs <code>${escapeXml(report.taskRefs.pattern)}</code>.</p>`
        : `lock folder <code>${escapeXml(report.locksDir.path)}/</code> (${report.locksDir.source}).</p>`),
    `<div class="headline">${card("of commits are coordination", percent(t.commitShare))}${card("of changed lines are coordination", percent(t.lineShare))}` +
      `${card("median lock hold", duration(report.holdTimes.p50))}${card("stale-lock breaks", String(report.breaks.count))}` +
      `${report.taskRefs.refs > 0 ? card("coordination commits per done task (task refs)", String(report.taskRefs.coordinationPerDoneTask)) : ""}</div>`,
    `<h2>Coordination tax over time (per ${bucketLabel(report.overTime.bucket)})</h2>`,
    chartBox(
      "time",
      `Coordination and other commits per ${bucketLabel(report.overTime.bucket)}, with the commit and line shares`,
    ),
    "<h2>Per agent</h2>",
    `<div id="chart-agents">${agentChart(report)}</div>`,
    table(
      [
        "agent",
        "commits",
        "coordination",
        "tax",
        "line tax",
        "substantive rate",
        "claims",
        "done",
      ],
      report.agents.map((a) => [
        a.agent,
        a.commits,
        a.coordinationCommits,
        percent(a.commitShare),
        percent(a.lineShare),
        percent(a.substantiveRate),
        a.claims,
        a.done,
      ]),
    ),
    ...taskRefSection(report),
    "<h2>Lock hold times</h2>",
    chartBox("holds", "How long locks were held: claims ended per duration"),
    table(
      ["", "count", "mean", "p50", "p90", "p99", "max"],
      [
        ["lock hold", report.holdTimes.count, ...durations(report.holdTimes)],
        [
          "claim → done",
          report.claimToDone.count,
          ...durations(report.claimToDone),
        ],
      ],
    ),
    "<h2>Commits by class</h2>",
    `<div id="chart-classes">${classChart(report)}</div>`,
    "<h2>Duplicate work and breaks</h2>",
    table(
      ["task", "claims", "claimed by", "while held"],
      report.duplicates.tasks
        .slice(0, 50)
        .map((d) => [
          d.task,
          d.claims,
          d.agents.join(", "),
          d.concurrentClaims,
        ]),
    ),
    table(
      ["near-duplicate names", "claims", "agents", "while another name held"],
      report.duplicates.nearDuplicates
        .slice(0, 50)
        .map((g) => [
          g.names.join(" ~ "),
          g.claims,
          g.agents.join(", "),
          g.concurrentClaims,
        ]),
    ),
    report.duplicates.tasks.length + report.duplicates.nearDuplicates.length ===
    0
      ? "<p>No task was claimed more than once.</p>"
      : "",
    `<p class="muted">${report.breaks.count} stale-lock breaks (${report.breaks.forced} forced); ${report.holdTimes.open} claim(s) still open.</p>`,
    ...costHtml(report.costs, table),
    ...(report.queue === null
      ? []
      : [
          "<h2>Merge queue</h2>",
          `<p>${escapeXml(formatQueueFigures(report.queue))}.</p>`,
        ]),
  ];
  const script = chartScript();
  // Inline data and script: `<` escaped so no text from the history can end the element early.
  const data = JSON.stringify(chartData(report)).replace(/</g, "\\u003c");
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>gitswarm analytics</title><style>${STYLE}\n${script.css}</style></head>\n<body>\n${body.join("\n")}\n<script type="application/json" id="report-data">${data}</script>\n<script>${script.js.replace(/<\/script/gi, "<\\/script")}</script>\n</body></html>\n`;
}

/** The per-task coordination log on task refs: totals and the tasks that cost the most. */
function taskRefSection(report: AnalyticsReport): string[] {
  const r = report.taskRefs;
  if (r.refs === 0) return [];
  const a = r.byAction;
  return [
    "<h2>Coordination on task refs</h2>",
    `<p>${r.coordinationCommits} coordination commits on ${r.refs} task refs (<code>${escapeXml(r.pattern)}</code>): ` +
      `${a.claims} claims, ${a.releases} releases, ${a.breaks} breaks, ${a.blocks} blocks, for ${r.doneTasks} tasks done — ` +
      `<b>${r.coordinationPerDoneTask}</b> per done task. Had they been commits on the branch, its tax would be ${percent(r.combinedCommitShare)}.</p>`,
    table(
      ["task", "coordination commits", "claims", "state"],
      r.perTask.top.map((t) => [
        t.task,
        t.coordinationCommits,
        t.claims,
        t.state,
      ]),
    ),
  ];
}

/** What the uPlot charts draw (embedded as JSON). */
function chartData(report: AnalyticsReport): ReportChartData {
  const points = report.overTime.points;
  return {
    time: {
      x: points.map((p) => Date.parse(p.start) / 1000),
      labels: points.map((p) =>
        formatBucketStart(p.start, report.overTime.bucket),
      ),
      coordination: points.map((p) => p.coordinationCommits),
      other: points.map((p) => p.commits - p.coordinationCommits),
      commitShare: points.map((p) => p.commitShare),
      lineShare: points.map((p) => p.lineShare),
    },
    holds: {
      labels: report.holdTimes.histogram.map((b) => b.label),
      counts: report.holdTimes.histogram.map((b) => b.count),
    },
  };
}

/** A box the chart script fills; its label says what it shows to a screen reader. */
function chartBox(name: string, label: string): string {
  return `<div id="chart-${name}" class="chart" data-chart="${name}" role="img" aria-label="${escapeXml(label)}"></div>`;
}

function classChart(report: AnalyticsReport): string {
  const classes = COMMIT_CLASSES.filter((c) => report.byClass[c].commits > 0);
  const count = (coordination: boolean) =>
    classes.map((c) =>
      COORDINATION_CLASSES.has(c) === coordination
        ? report.byClass[c].commits
        : 0,
    );
  return htmlBars(classes, [
    { name: "coordination", color: COORD, values: count(true) },
    { name: "not coordination", color: WORK, values: count(false) },
  ]);
}

function agentChart(report: AnalyticsReport): string {
  const agents = report.agents.slice(0, 40);
  return htmlBars(
    agents.map((a) => a.agent),
    [
      {
        name: "coordination",
        color: COORD,
        values: agents.map((a) => a.coordinationCommits),
      },
      {
        name: "substantive",
        color: WORK,
        values: agents.map((a) => a.substantiveCommits),
      },
      {
        name: "other",
        color: OTHER,
        values: agents.map(
          (a) => a.commits - a.coordinationCommits - a.substantiveCommits,
        ),
      },
    ],
  );
}

function card(label: string, value: string): string {
  return `<div class="card"><b>${escapeXml(value)}</b>${escapeXml(label)}</div>`;
}

function durations(s: {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}): string[] {
  return [s.mean, s.p50, s.p90, s.p99, s.max].map(duration);
}

function table(head: string[], rows: Array<Array<string | number>>): string {
  if (rows.length === 0) return "";
  const th = head.map((h) => `<th>${escapeXml(h)}</th>`).join("");
  const trs = rows
    .map(
      (r) =>
        `<tr>${r.map((c) => `<td>${escapeXml(String(c))}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<div class="table-wrap"><table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table></div>`;
}
