// `.mode line`: one `column = value` line per column, names right-aligned, a blank line between rows.
// Mirrors sqlite3's shell.c (MODE_Line in shell_callback), so a reader can check it line by line.
import { Buffer } from 'node:buffer';

// The shell pads names with printf's %*s, which counts bytes, to at least 5.
function width(names) {
  return Math.max(5, ...names.map((name) => Buffer.byteLength(name)));
}

/** The line mode; records of one statement are separated by an empty line, statements are not. */
export const modes = {
  line: {
    select(s) {
      s.rowSep = '\n';
    },
    render(columns, rows, s) {
      const w = width(columns);
      const pad = (name) => ' '.repeat(w - Buffer.byteLength(name)) + name;
      const record = (row) => columns.map((name, i) => `${pad(name)} = ${row[i] ?? s.nullValue}${s.rowSep}`).join('');
      return rows.map(record).join(s.rowSep);
    },
  },
};
