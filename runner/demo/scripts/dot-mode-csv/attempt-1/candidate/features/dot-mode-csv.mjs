// `.mode csv`: comma-separated rows, fields with a comma or a quote quoted as RFC 4180 says.
// (Scripted demo: deliberately wrong first attempt — Unix line ends, where sqlite3 writes CRLF.)

function field(text) {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function line(cells, s) {
  return cells.map((cell) => (cell === null ? s.nullValue : field(cell))).join(',') + '\n';
}

/** The csv mode. */
export const modes = {
  csv: {
    render: (columns, rows, s) =>
      rows.length === 0 ? '' : (s.headers ? line(columns, s) : '') + rows.map((row) => line(row, s)).join(''),
  },
};
