// `.separator COL ?ROW?`, and list mode printing with the chosen separators.
// (Scripted demo: deliberately wrong first attempt — the new list mode prints NULL as an empty
// string and forgets `.nullvalue`, so a case that passed before now fails: the ratchet rejects it.)

/** The `.separator` command. */
export const commands = {
  separator(args, shell) {
    if (args.length < 1 || args.length > 2) return 'Usage: .separator COL ?ROW?';
    shell.settings.colSep = args[0];
    if (args.length === 2) shell.settings.rowSep = args[1];
  },
};

/** List mode with the separators. */
export const modes = {
  list: {
    render(columns, rows, s) {
      if (rows.length === 0) return '';
      const line = (cells) => cells.map((cell) => cell ?? '').join(s.colSep) + s.rowSep;
      return (s.headers ? line(columns) : '') + rows.map(line).join('');
    },
  },
};
