// The shell's extension points. Every dot-command and output mode beyond the basics lives in its own
// file in candidate/features/, loaded here in name order: a swarm task adds a feature as a new
// file, so tasks worked on at the same time never edit the same file (see features/README.md).
import { readdirSync } from "node:fs";

const ON = ["on", "1", "yes", "true"];

/** The output settings dot-commands change; modes read them. */
export function defaultSettings() {
  return {
    mode: "list",
    headers: false,
    headersSet: false,
    nullValue: "",
    colSep: "|",
    rowSep: "\n",
  };
}

/** The built-in shell: list mode, `.headers`, `.nullvalue` and `.mode` (choosing a registered mode). */
function baseShell() {
  return {
    settings: defaultSettings(),
    opens: [],
    resultCodes: [],
    modes: {
      // sqlite3 prints the header line with the first row, so an empty result prints nothing.
      list: {
        render: (columns, rows, s) =>
          rows.length === 0
            ? ""
            : (s.headers ? columns.join("|") + "\n" : "") +
              rows
                .map(
                  (row) =>
                    row.map((cell) => cell ?? s.nullValue).join("|") + "\n",
                )
                .join(""),
      },
    },
    commands: {
      headers: (args, shell) => {
        if (args.length !== 1) return "Usage: .headers on|off";
        shell.settings.headers = ON.includes(args[0].toLowerCase());
        shell.settings.headersSet = true;
      },
      nullvalue: (args, shell) => {
        if (args.length !== 1) return "Usage: .nullvalue STRING";
        shell.settings.nullValue = args[0];
      },
      mode: (args, shell) => {
        const mode = shell.modes[args[0]];
        if (args.length < 1 || mode === undefined)
          return "Error: mode should be one of: ascii box column csv html insert json line list markdown qbox quote table tabs tcl";
        shell.settings.mode = args[0];
        mode.select?.(shell.settings);
      },
    },
  };
}

/** The shell with every feature module in `dir` (a file URL) merged in; a later feature overrides. */
export async function loadShell(dir) {
  const shell = baseShell();
  let files = [];
  try {
    files = readdirSync(dir)
      .filter((name) => name.endsWith(".mjs"))
      .sort();
  } catch {
    // No features folder yet: the basic shell.
  }
  for (const file of files) {
    const feature = await import(new URL(file, dir).href);
    Object.assign(shell.commands, feature.commands);
    Object.assign(shell.modes, feature.modes);
    if (feature.open) shell.opens.push(feature.open);
    if (feature.resultCode) shell.resultCodes.push(feature.resultCode);
  }
  return shell;
}

/** Runs one dot-command line; returns an error message for an unknown command or bad arguments. */
export function runDotCommand(shell, line) {
  const [name, ...args] = splitArgs(line.slice(1));
  const command = shell.commands[name];
  if (command === undefined)
    return `Error: unknown command or invalid arguments:  "${name}". Enter ".help" for help`;
  return command(args, shell);
}

/** The result code a feature found for an engine error, if any. */
export function resultCodeOf(shell, error) {
  for (const find of shell.resultCodes) {
    const code = find(error);
    if (code !== undefined) return code;
  }
  return undefined;
}

// Arguments split on whitespace; "..." and '...' quote (with backslash escapes left for the command).
function splitArgs(text) {
  const args = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let match = re.exec(text); match !== null; match = re.exec(text))
    args.push(match[1] ?? match[2] ?? match[3]);
  return args;
}
