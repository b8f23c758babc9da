/** Rendering a user's command template for one case: `{case}` or stdin. */

/** A command ready to run for one case: the shell line and whether the case goes on stdin. */
export interface RenderedCommand {
  command: string;
  stdin: boolean;
}

/**
 * Replaces every `{case}` in `template` with the case path, shell-quoted; a template without
 * `{case}` gets the case's content on stdin instead.
 */
export function renderCommand(
  template: string,
  casePath: string,
): RenderedCommand {
  if (!template.includes("{case}")) return { command: template, stdin: true };
  return {
    command: template.split("{case}").join(shellQuote(casePath)),
    stdin: false,
  };
}

/** Quotes a string for POSIX sh: safe for any path, including spaces and quotes. */
export function shellQuote(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The program a command line starts (its first word), when it can be told without a shell:
 * used to say "sqlite3 is not installed" before running hundreds of cases. Undefined when the
 * line starts with something we cannot resolve statically (a variable, a subshell, env VAR=...).
 */
export function commandProgram(command: string): string | undefined {
  const match = /^\s*([\w@%+=:,./-]+)(\s|$)/.exec(command);
  if (match === null || match[1] === undefined || match[1].includes("="))
    return undefined;
  return match[1];
}
