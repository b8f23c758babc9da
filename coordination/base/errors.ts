/**
 * The one error hierarchy. Expected outcomes (a lost claim, a failed oracle case) are values, not
 * errors; these are for bugs, broken environments (`SwarmError`) and bad user input (`UserError`).
 * The CLI maps them to exit codes in one place (runner/cli/main.ts).
 */

/** A failure of the environment or a bug: exit code 1. `code` is a stable machine-readable tag. */
export class SwarmError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SwarmError";
  }
}

/** Bad input, bad config or bad usage: exit code 2. The message names the file:line and the fix. */
export class UserError extends SwarmError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "UserError";
  }
}

