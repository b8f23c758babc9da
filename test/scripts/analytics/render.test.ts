import { describe, expect, it } from "vitest";
import { buildReport } from "../../../scripts/analytics/build-report.js";
import {
  formatAnalyticsTable,
  renderAnalyticsHtml,
} from "../../../scripts/analytics/index.js";
import type { ReportChartData } from "../../../scripts/analytics/render/chart-data.js";
import {
  duration,
  percent,
} from "../../../scripts/analytics/render/text-format.js";
import type {
  CommitRecord,
  FileChange,
} from "../../../scripts/analytics/types.js";

const T = 1_699_999_200;
const f = (
  path: string,
  status: FileChange["status"],
  added = 1,
  deleted = 0,
): FileChange => ({ path, status, added, deleted, binary: false });
const rec = (
  i: number,
  author: string,
  subject: string,
  files: FileChange[],
  trailers: CommitRecord["trailers"] = [],
): CommitRecord => ({
  hash: `h${i}`,
  parentCount: 1,
  authorName: author,
  authorEmail: `${author}@x`,
  time: T + i * 600,
  subject,
  trailers,
  files,
});

// Oldest first here; buildReport takes git log order (newest first).
const history = [
  rec(0, "claude-1", "init", [
    f("src/a.rs", "A", 10),
    f("PROGRESS.md", "A", 2),
  ]),
  rec(1, "claude-1", "claim parser", [f("tasks/parser.txt", "A")]),
  rec(2, "codex-1", "claim parser-impl", [f("tasks/parser-impl.txt", "A")]),
  rec(3, "claude-1", "parser", [
    f("src/parser.rs", "A", 20),
    f("tasks/parser.txt", "D", 0, 1),
  ]),
  rec(4, "codex-1", "give up", [f("tasks/parser-impl.txt", "D", 0, 1)]),
  rec(5, 'gemini <1> & "co"', "claim vm", [f("tasks/vm.txt", "A")]),
].reverse();
const report = buildReport(history, {
  repo: "/r",
  revisions: "HEAD",
  locksDir: "tasks",
  bucket: "hour",
});

describe("formatAnalyticsTable", () => {
  it("leads with the tax and lists classes, agents, hold times and duplicates", () => {
    const text = formatAnalyticsTable(report);
    expect(text).toContain(
      "Coordination tax: 66.7% of commits (4/6), 18.9% of changed lines (7/37)",
    );
    expect(text).toMatch(/^claim\s+3\s+50\.0%\s+3$/m);
    expect(text).toMatch(/^claude-1\s+3\s+1\s+33\.3%/m);
    expect(text).toMatch(/^lock hold\s+2\s+20m 00s\s+20m 00s/m);
    expect(text).toContain(
      "near-duplicate names: parser ~ parser-impl (2 claims by claude-1, codex-1; 1 while another name was held)",
    );
  });

  it("formats shares and durations for people", () => {
    expect(percent(0.5625)).toBe("56.3%");
    expect([
      duration(45),
      duration(125),
      duration(7500),
      duration(3 * 86_400 + 4 * 3600),
    ]).toEqual(["45s", "2m 05s", "2h 05m", "3d 4h"]);
  });
});

describe("renderAnalyticsHtml", () => {
  const html = renderAnalyticsHtml(report);

  it("is one self-contained page: no URLs or external resources, its chart script inline", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/https?:|\/\/[a-z]+\.[a-z]/i);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|\ssrc=/i);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain('<script type="application/json" id="report-data">');
  });

  it("gives the uPlot charts their data and draws the bars with one segment per value", () => {
    const data = chartData(html);
    // One hour bucket: 4 coordination commits and 2 others.
    expect(data.time).toMatchObject({ coordination: [4], other: [2] });
    expect(data.time.commitShare[0]).toBeCloseTo(4 / 6);
    expect(data.holds.counts.reduce((a, b) => a + b, 0)).toBe(2);
    for (const id of ["time", "holds"])
      expect(html).toContain(
        `id="chart-${id}" class="chart" data-chart="${id}"`,
      );
    const section = (id: string) =>
      html.slice(
        html.indexOf(`id="${id}"`),
        html.indexOf("</div></div>", html.indexOf(`id="${id}"`)),
      );
    const bars = (id: string) =>
      [
        ...section(id).matchAll(
          /class="bar" data-series="([^"]*)" data-value="(\d+(?:\.\d+)?)"/g,
        ),
      ].map((m) => `${m[1]}=${m[2]}`);
    expect(bars("chart-agents")).toEqual([
      "coordination=1",
      "substantive=2",
      "coordination=2",
      "coordination=1",
    ]);
    // claim, release (coordination), then done and work.
    expect(bars("chart-classes")).toEqual([
      "coordination=3",
      "coordination=1",
      "not coordination=1",
      "not coordination=1",
    ]);
  });

  it("escapes names from the history", () => {
    expect(html).toContain("gemini &#60;1&#62; &#38; &#34;co&#34;");
    expect(html).not.toContain("<1>");
  });
});

describe("time buckets that fit the run", () => {
  // A one-minute run: seven commits ten seconds apart.
  const minute = [0, 1, 2, 3, 4, 5, 6]
    .map((i) => ({
      ...rec(i, "claude-1", `step ${i}`, [f(`src/${i}.rs`, "A")]),
      time: T + i * 10,
    }))
    .reverse();
  const short = buildReport(minute, { repo: "/r", revisions: "HEAD" });

  it("cuts a one-minute run into seconds, not one hour-long bar", () => {
    expect(short.overTime.bucket).toBe("5s");
    expect(short.overTime.points).toHaveLength(13);
    expect(short.overTime.points.filter((p) => p.commits > 0)).toHaveLength(7);
    const html = renderAnalyticsHtml(short);
    expect(html).toContain("Coordination tax over time (per 5 seconds)");
    const time = chartData(html).time;
    const totals = time.coordination.map((c, i) => c + (time.other[i] ?? 0));
    expect(totals).toHaveLength(13);
    expect(totals.filter((n) => n > 0)).toHaveLength(7);
    expect(time.labels).toContain("22:00:10");
    expect(formatAnalyticsTable(short)).toMatch(
      /^2023-11-14 22:00:10\s+1\s+0\s+0\.0%/m,
    );
  });

  it("uses minutes for an hour-long run and hours past half a day", () => {
    const spanning = (seconds: number) =>
      buildReport(
        [0, 1].map((i) => ({ ...rec(i, "a", "x", []), time: T + i * seconds })),
        { repo: "/r", revisions: "HEAD" },
      ).overTime.bucket;
    expect(spanning(50 * 60)).toBe("minute");
    expect(spanning(3 * 3600)).toBe("5min");
    expect(spanning(10 * 3600)).toBe("15min");
    expect(spanning(20 * 3600)).toBe("hour");
    expect(spanning(10 * 86_400)).toBe("day");
  });
});

function chartData(html: string): ReportChartData {
  const start = html.indexOf('id="report-data">') + 'id="report-data">'.length;
  return JSON.parse(
    html.slice(start, html.indexOf("</script>", start)),
  ) as ReportChartData;
}
