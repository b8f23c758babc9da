/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, no network) with the
 * tax over time, per-agent bars, the hold-time distribution and the tables behind them.
 */
import { costHtml } from "./cost-render.js";
import { formatQueueFigures } from "../queue.js";
import type { AnalyticsReport } from "../report.js";
import { bucketLabel, formatBucketStart } from "../stats.js";
import { escapeXml, horizontalBars, verticalBars } from "./svg-charts.js";
import { duration, percent } from "./text-format.js";
import { COMMIT_CLASSES, COORDINATION_CLASSES } from "../types.js";

const COORD = "#e4572e";
const WORK = "#2e86ab";
const OTHER = "#a5a5a5";

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px auto;max-width:960px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.headline{display:flex;gap:16px}.card{border:1px solid #ddd;border-radius:6px;padding:10px 16px}
.card b{display:block;font-size:26px}table{border-collapse:collapse;font-size:13px}
td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}td:first-child,th:first-child{text-align:left}
.muted{color:#777;font-size:13px}`;

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
    `<div id="chart-time">${timeChart(report)}</div>`,
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
    `<div id="chart-holds">${verticalBars(
      report.holdTimes.histogram.map((b) => b.label),
      [
        {
          name: "claims ended",
          color: WORK,
          values: report.holdTimes.histogram.map((b) => b.count),
        },
      ],
      [],
      900,
      240,
    )}</div>`,
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
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>gitswarm analytics</title><style>${STYLE}</style></head>\n<body>\n${body.join("\n")}\n</body></html>\n`;
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

function timeChart(report: AnalyticsReport): string {
  const points = report.overTime.points;
  const label = (iso: string) => formatBucketStart(iso, report.overTime.bucket);
  return verticalBars(
    points.map((p) => label(p.start)),
    [
      {
        name: "coordination commits",
        color: COORD,
        values: points.map((p) => p.coordinationCommits),
      },
      {
        name: "other commits",
        color: WORK,
        values: points.map((p) => p.commits - p.coordinationCommits),
      },
    ],
    [
      {
        name: "commit share",
        color: "#222",
        values: points.map((p) => p.commitShare),
      },
      {
        name: "line share",
        color: "#7b2cbf",
        values: points.map((p) => p.lineShare),
        dashed: true,
      },
    ],
  );
}

function classChart(report: AnalyticsReport): string {
  const classes = COMMIT_CLASSES.filter((c) => report.byClass[c].commits > 0);
  const count = (coordination: boolean) =>
    classes.map((c) =>
      COORDINATION_CLASSES.has(c) === coordination
        ? report.byClass[c].commits
        : 0,
    );
  return horizontalBars(classes, [
    { name: "coordination", color: COORD, values: count(true) },
    { name: "not coordination", color: WORK, values: count(false) },
  ]);
}

function agentChart(report: AnalyticsReport): string {
  const agents = report.agents.slice(0, 40);
  return horizontalBars(
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
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}
