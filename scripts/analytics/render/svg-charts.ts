/**
 * Minimal SVG chart builders for the HTML report: stacked bars (vertical or horizontal) with an
 * optional share line. Plain strings, no library and no script, so the page needs no network.
 */

/** One stacked series: a name for the legend, a colour, a value per category. */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

/** A line over the bars, values as fractions 0..1 on a 0–100 % right-hand axis. */
export interface ShareLine {
  name: string;
  color: string;
  values: number[];
  dashed?: boolean;
}

/** Escapes text for HTML and SVG. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const FONT = 'font-family="system-ui, sans-serif" font-size="11" fill="#333"';

function legend(
  items: Array<{ name: string; color: string }>,
  x: number,
  y: number,
): string {
  return items
    .map((item, i) => {
      const lx = x + i * 150;
      return `<rect x="${lx}" y="${y - 9}" width="10" height="10" fill="${item.color}"/><text x="${lx + 14}" y="${y}" ${FONT}>${escapeXml(item.name)}</text>`;
    })
    .join("");
}

/** Vertical stacked bars per category, with share lines over them on a 0–100 % axis. */
export function verticalBars(
  categories: string[],
  series: Series[],
  lines: ShareLine[] = [],
  width = 900,
  height = 300,
): string {
  const pad = { left: 50, right: 50, top: 30, bottom: 50 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const totals = categories.map((_, i) =>
    series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0),
  );
  const max = niceCeil(Math.max(...totals));
  const step = plotW / Math.max(1, categories.length);
  const barW = Math.max(1, step * 0.8);
  // Thin the x labels so that they never overlap (about 6.5 px per character at 11 px).
  const labelWidth = Math.max(...categories.map((c) => c.length), 1) * 6.5 + 10;
  const labelEvery = Math.max(
    1,
    Math.ceil((categories.length * labelWidth) / plotW),
  );
  const parts: string[] = [];
  parts.push(
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" stroke="#999"/>`,
  );
  for (const frac of [0, 0.5, 1]) {
    const y = pad.top + plotH - frac * plotH;
    parts.push(
      `<text x="${pad.left - 6}" y="${y + 4}" text-anchor="end" ${FONT}>${Math.round(frac * max)}</text>`,
    );
    if (lines.length)
      parts.push(
        `<text x="${pad.left + plotW + 6}" y="${y + 4}" ${FONT}>${frac * 100}%</text>`,
      );
  }
  categories.forEach((category, i) => {
    let y = pad.top + plotH;
    const x = pad.left + i * step + (step - barW) / 2;
    for (const s of series) {
      const value = s.values[i] ?? 0;
      const h = (value / max) * plotH;
      y -= h;
      if (value > 0) {
        parts.push(
          `<rect class="bar" data-series="${escapeXml(s.name)}" data-value="${value}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${category}: ${value} ${s.name}`)}</title></rect>`,
        );
      }
    }
    if (i % labelEvery === 0) {
      parts.push(
        `<text x="${(x + barW / 2).toFixed(1)}" y="${pad.top + plotH + 16}" text-anchor="middle" ${FONT}>${escapeXml(category)}</text>`,
      );
    }
  });
  for (const line of lines) {
    const points = line.values.map(
      (v, i) =>
        `${(pad.left + i * step + step / 2).toFixed(1)},${(pad.top + plotH - v * plotH).toFixed(1)}`,
    );
    const dash = line.dashed ? ' stroke-dasharray="5 3"' : "";
    parts.push(
      `<polyline class="share-line" points="${points.join(" ")}" fill="none" stroke="${line.color}" stroke-width="2"${dash}/>`,
    );
  }
  parts.push(legend([...series, ...lines], pad.left, height - 10));
  return svg(width, height, parts);
}

/** Horizontal stacked bars, one row per category (agents, classes). */
export function horizontalBars(
  categories: string[],
  series: Series[],
  width = 900,
): string {
  const rowH = 22;
  const pad = { left: 160, right: 60, top: 10, bottom: 30 };
  const height = pad.top + pad.bottom + rowH * Math.max(1, categories.length);
  const plotW = width - pad.left - pad.right;
  const totals = categories.map((_, i) =>
    series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const parts: string[] = [];
  categories.forEach((category, i) => {
    const y = pad.top + i * rowH;
    parts.push(
      `<text x="${pad.left - 8}" y="${y + 15}" text-anchor="end" ${FONT}>${escapeXml(category)}</text>`,
    );
    let x = pad.left;
    for (const s of series) {
      const value = s.values[i] ?? 0;
      const w = (value / max) * plotW;
      if (value > 0) {
        parts.push(
          `<rect class="bar" data-series="${escapeXml(s.name)}" data-value="${value}" x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${s.color}"><title>${escapeXml(`${category}: ${value} ${s.name}`)}</title></rect>`,
        );
      }
      x += w;
    }
    parts.push(
      `<text x="${(x + 6).toFixed(1)}" y="${y + 15}" ${FONT}>${totals[i]}</text>`,
    );
  });
  parts.push(legend(series, pad.left, height - 8));
  return svg(width, height, parts);
}

/** The next "round" axis maximum (1, 2, 4 or 5 times a power of ten, even), so ticks are whole. */
export function niceCeil(value: number): number {
  if (value <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(value));
  const nice =
    [1, 2, 4, 5, 10].map((m) => m * power).find((n) => n >= value) ??
    10 * power;
  return nice % 2 === 0 ? nice : nice * 2;
}

function svg(width: number, height: number, parts: string[]): string {
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${parts.join("")}</svg>`;
}
