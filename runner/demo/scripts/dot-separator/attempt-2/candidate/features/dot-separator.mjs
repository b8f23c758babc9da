// `.separator COL ?ROW?`, and list mode printing with the chosen separators.

const ESCAPES = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\' };

// The shell resolves C escapes in the arguments (resolve_backslashes): \t, \n, \\, octal \NNN.
function unescape(text) {
  return text.replace(/\\([0-7]{1,3}|.)/g, (all, code) =>
    /^[0-7]/.test(code) ? String.fromCharCode(parseInt(code, 8)) : (ESCAPES[code] ?? all),
  );
}

/** The `.separator` command. */
export const commands = {
  separator(args, shell) {
    if (args.length < 1 || args.length > 2) return 'Usage: .separator COL ?ROW?';
    shell.settings.colSep = unescape(args[0]);
    if (args.length === 2) shell.settings.rowSep = unescape(args[1]);
  },
};

/** List mode with the separators; choosing it (`.mode list`) resets them to `|` and newline. */
export const modes = {
  list: {
    select(s) {
      s.colSep = '|';
      s.rowSep = '\n';
    },
    render(columns, rows, s) {
      if (rows.length === 0) return '';
      const line = (cells) => cells.map((cell) => cell ?? s.nullValue).join(s.colSep) + s.rowSep;
      return (s.headers ? line(columns) : '') + rows.map(line).join('');
    },
  },
};
