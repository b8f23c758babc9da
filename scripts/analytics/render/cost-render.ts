/**
 * The cost section of the terminal table and the HTML page: spend, tokens and attempts per agent
 * and per task, and what the attempts that never landed cost.
 */
import type { CostFigures, CostRow } from "../costs.js";
import { escapeXml, htmlBars } from "./html-bars.js";
import { alignRows, percent } from "./text-format.js";

/** Dollars for people: four decimals under a dollar (a local model costs fractions of a cent). */
export function dollars(value: number): string {
  return `$${value.toFixed(Math.abs(value) < 1 ? 4 : 2)}`;
}

/**
 * The headline sentence of the cost section. An attempt a gate sent back (a review asking for
 * changes, a red oracle) whose task then landed is "redone", not a failure of the run; "unlanded"
 * counts the others. Together with landed, interrupted and open they add up to the attempts.
 */
export function costHeadline(costs: CostFigures): string {
  const a = costs.attempts;
  return (
    `Cost (${costs.logs.length} event log${costs.logs.length === 1 ? "" : "s"}): ${dollars(costs.costUsd)} over ${costs.calls} model calls, ` +
    `${costs.inputTokens} input + ${costs.outputTokens} output tokens; ${a.total} attempts (${a.done} landed, ${a.redone} sent back and redone, ` +
    `${a.failed - a.redone} unlanded, ${a.interrupted} interrupted, ${a.open} open); spent on attempts that did not land ${dollars(costs.wastedUsd)} (${percent(costs.costUsd ? costs.wastedUsd / costs.costUsd : 0)})`
  );
}

const HEAD = [
  "calls",
  "tokens",
  "cost",
  "attempts",
  "landed",
  "redone",
  "unlanded",
  "wasted",
];

function cells(row: CostRow): string[] {
  return [
    String(row.calls),
    String(row.inputTokens + row.outputTokens),
    dollars(row.costUsd),
    String(row.attempts),
    String(row.done),
    String(row.redone),
    String(row.failed - row.redone),
    dollars(row.wastedUsd),
  ];
}

/** The cost lines of the terminal table (the ten costliest tasks); none without an event log. */
export function costTableLines(costs: CostFigures | null): string[] {
  if (costs === null) return [];
  return [
    "",
    costHeadline(costs),
    ...alignRows([
      ["agent", ...HEAD],
      ...costs.agents.map((r) => [r.name, ...cells(r)]),
    ]),
    "",
    ...alignRows([
      [`task${costs.tasks.length > 10 ? " (costliest 10)" : ""}`, ...HEAD],
      ...costs.tasks.slice(0, 10).map((r) => [r.name, ...cells(r)]),
    ]),
  ];
}

/** The cost section of the HTML page: headline, spend per agent (landed vs wasted), both tables. */
export function costHtml(
  costs: CostFigures | null,
  table: (head: string[], rows: string[][]) => string,
): string[] {
  if (costs === null) return [];
  const agents = costs.agents.slice(0, 40);
  return [
    "<h2>Cost</h2>",
    `<p>${escapeXml(costHeadline(costs))}.</p>`,
    `<div id="chart-cost">${htmlBars(
      agents.map((a) => a.name),
      [
        {
          name: "spend (cents), attempts that landed or are going",
          color: "#2e86ab",
          values: agents.map((a) => cents(a.costUsd - a.wastedUsd)),
        },
        {
          name: "wasted (cents)",
          color: "#e4572e",
          values: agents.map((a) => cents(a.wastedUsd)),
        },
      ],
    )}</div>`,
    table(
      ["agent", ...HEAD],
      costs.agents.map((r) => [r.name, ...cells(r)]),
    ),
    table(
      ["task", ...HEAD],
      costs.tasks.slice(0, 50).map((r) => [r.name, ...cells(r)]),
    ),
  ];
}

function cents(usd: number): number {
  return Math.round(usd * 10_000) / 100;
}
