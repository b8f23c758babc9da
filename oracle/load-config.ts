/**
 * Loading the oracle config for the CLI: the `oracle:` key of `<repo>/gitswarm.config.yaml`,
 * overlaid with command-line options, validated with `oracleConfigSchema`. Errors name the file,
 * the key (or the option) and the fix. (The shared config loader may replace the file reading.)
 */
import type { z } from "zod";
import { UserError } from "../coordination/base/errors.js";
import {
  CONFIG_FILE,
  parseConfigDocument,
  readConfigText,
} from "../coordination/base/config-file.js";
import {
  oracleConfigSchema,
  type OracleConfig,
  type OracleConfigInput,
} from "./config.js";

export { CONFIG_FILE };

/** Options given on the command line, keyed by their config field (`--timeout` is `timeout`). */
export type OracleOverrides = Partial<Record<keyof OracleConfigInput, unknown>>;

/**
 * Reads and validates the oracle section; a missing file is an empty section. Throws UserError
 * (`gitswarm.config.yaml: oracle.timeout: message`, or `--timeout: message`) on invalid input.
 */
export async function loadOracleConfig(
  repoDir: string,
  overrides: OracleOverrides = {},
): Promise<OracleConfig> {
  const { section, lineOf } = await readOracleSection(repoDir);
  const given = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  );
  const result = oracleConfigSchema.safeParse({ ...section, ...given });
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) =>
    describeIssue(issue, given, lineOf),
  );
  throw new UserError("config", messages.join("\n"), { cause: result.error });
}

async function readOracleSection(repoDir: string): Promise<{
  section: Record<string, unknown>;
  lineOf: (keys: PropertyKey[]) => number | undefined;
}> {
  const text = await readConfigText(repoDir);
  if (text === undefined) return { section: {}, lineOf: () => undefined };
  const doc = parseConfigDocument(text);
  const section = doc.root.oracle ?? {};
  if (
    typeof section !== "object" ||
    section === null ||
    Array.isArray(section)
  ) {
    throw new UserError(
      "config",
      `${CONFIG_FILE}: oracle: expected a mapping of oracle settings (see 'gitswarm help oracle')`,
    );
  }
  const lineOf = (keys: PropertyKey[]) => doc.lineOf(["oracle", ...keys]);
  return { section: section as Record<string, unknown>, lineOf };
}

function describeIssue(
  issue: z.core.$ZodIssue,
  given: Record<string, unknown>,
  lineOf: (keys: PropertyKey[]) => number | undefined,
): string {
  const [field, ...rest] = issue.path;
  const dotted = issue.path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("");
  if (typeof field === "string" && field in given) {
    return `--${kebab(field)}${rest.length > 0 ? dotted.slice(field.length + 1) : ""}: ${issue.message}`;
  }
  const line = lineOf(issue.path as PropertyKey[]);
  return `${CONFIG_FILE}: oracle${dotted}: ${issue.message}${line ? ` (line ${line})` : ""}`;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
