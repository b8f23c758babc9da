// `.mode column`: every row of a statement is read first, each column is as wide as its widest
// value or name, cells are left-aligned and padded (the last one too), two spaces apart.

/** Characters, not UTF-16 units or bytes: the shell counts UTF-8 characters. */
export function textWidth(text) {
  return [...text].length;
}

/** The cells as printed (NULL as the .nullvalue text) and each column's width (names included). */
export function layout(columns, rows, s) {
  const cells = rows.map((row) => row.map((cell) => cell ?? s.nullValue));
  const widths = columns.map((name, i) => Math.max(textWidth(name), ...cells.map((row) => textWidth(row[i]))));
  return { cells, widths };
}

/** `text` padded with spaces to `width` characters. */
export function padEnd(text, width) {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}

/** The column mode; choosing it turns headers on unless `.headers` was used, as in the shell. */
export const modes = {
  column: {
    select(s) {
      if (!s.headersSet) s.headers = true;
    },
    render(columns, rows, s) {
      if (rows.length === 0) return '';
      const { cells, widths } = layout(columns, rows, s);
      const line = (row) => row.map((cell, i) => padEnd(cell, widths[i])).join('  ') + '\n';
      const header = s.headers ? line(columns) + line(widths.map((w) => '-'.repeat(w))) : '';
      return header + cells.map(line).join('');
    },
  },
};
