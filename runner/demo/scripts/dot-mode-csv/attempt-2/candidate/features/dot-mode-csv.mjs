// `.mode csv` as the sqlite3 shell writes it: RFC 4180 quoting and CRLF line ends.

// The shell quotes a field holding a control character, space, quote or apostrophe, DEL or any
// non-ASCII byte (its needCsvQuote table), holding the column separator, or an empty string.
function needsQuote(text) {
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code <= 0x20 || code === 0x22 || code === 0x27 || code >= 0x7f) return true;
  }
  return false;
}

function field(text, separator) {
  if (text !== '' && !needsQuote(text) && !text.includes(separator)) return text;
  return `"${text.replaceAll('"', '""')}"`;
}

function line(cells, s) {
  // NULL prints as the .nullvalue text, never quoted.
  return cells.map((cell) => (cell === null ? s.nullValue : field(cell, s.colSep))).join(s.colSep) + s.rowSep;
}

/** The csv mode: choosing it sets the separators to `,` and CRLF, as in the shell. */
export const modes = {
  csv: {
    select(s) {
      s.colSep = ',';
      s.rowSep = '\r\n';
    },
    render: (columns, rows, s) =>
      rows.length === 0 ? '' : (s.headers ? line(columns, s) : '') + rows.map((row) => line(row, s)).join(''),
  },
};
