/**
 * Horizontal stacked bars as HTML for the report's categorical charts (per agent, per commit
 * class, spend per agent): a label that wraps instead of being clipped, a track whose segments are
 * percentages of the widest row, the total, and a legend that wraps too. No script needed.
 */

/** One stacked series: a name for the legend, a colour, a value per category. */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

/** Escapes text for HTML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** One row per category, its series stacked left to right. */
export function htmlBars(categories: string[], series: Series[]): string {
  const totals = categories.map((_, i) =>
    series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0),
  );
  const max = Math.max(0, ...totals);
  const legend = series
    .map(
      (s) =>
        `<span><i style="background:${s.color}"></i>${escapeXml(s.name)}</span>`,
    )
    .join("");
  const rows = categories.map((category, i) => {
    const segments = series
      .filter((s) => (s.values[i] ?? 0) > 0)
      .map((s) => {
        const value = s.values[i] ?? 0;
        const width = max > 0 ? (value / max) * 100 : 0;
        return `<span class="bar" data-series="${escapeXml(s.name)}" data-value="${value}" style="width:${width.toFixed(2)}%;background:${s.color}" title="${escapeXml(`${category}: ${value} ${s.name}`)}"></span>`;
      })
      .join("");
    return `<div class="hrow"><span class="hlabel">${escapeXml(category)}</span><span class="htrack">${segments}</span><span class="htotal">${totals[i]}</span></div>`;
  });
  return `<div class="hbars"><div class="legend">${legend}</div>${rows.join("")}</div>`;
}
