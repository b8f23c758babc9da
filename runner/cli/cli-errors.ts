/**
 * How the CLI says what went wrong: a typo gets the closest command or option, Node's argument
 * parser's messages become one clean line, and with `--json` an error is a JSON object on stdout
 * (`{ "error": { "code", "message", "file"?, "line"? } }`) with the same exit code as in text.
 */
import { closestKey } from "../../coordination/base/config-file.js";
import { UserError } from "../../coordination/base/errors.js";

/** The closest known word to a typo, as ` (did you mean 'X'?)`, or "". */
export function didYouMean(word: string, known: readonly string[]): string {
  const near = closestKey(word, known);
  return near === undefined ? "" : ` (did you mean '${near}'?)`;
}

/**
 * A UserError from a `node:util` parseArgs failure: an unknown option names the closest known one;
 * other messages lose Node's advice about positionals, which does not apply here.
 */
export function parseArgsError(
  error: Error & { code?: string },
  known: readonly string[],
): UserError {
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(error.message)?.[1];
  if (unknown !== undefined) {
    const flags = known.map((k) => `--${k}`);
    return new UserError(
      "usage",
      `unknown option '${unknown}'${didYouMean(unknown, flags)}`,
      { cause: error },
    );
  }
  const first = error.message.split(/\.\s+To specify/)[0] ?? error.message;
  return new UserError("usage", first.replace(/\.$/, ""), { cause: error });
}

/** An error as the JSON object `--json` prints: code, message, and file/line when the message names one. */
export function errorJson(
  code: string,
  message: string,
): {
  error: { code: string; message: string; file?: string; line?: number };
} {
  const at = /(?:^|\s)([^\s:]+\.(?:ya?ml|md|json)):(\d+)(?::|\b)/m.exec(
    message,
  );
  return {
    error: {
      code,
      message,
      ...(at?.[1] !== undefined ? { file: at[1], line: Number(at[2]) } : {}),
    },
  };
}
