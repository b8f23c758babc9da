/**
 * The `oracle:` section of gitswarm.config.yaml: one zod schema is the source of truth for its
 * types, defaults and descriptions. Every field can also be given on the `gitswarm oracle` command
 * line, so the harness runs ad hoc with no config file at all.
 */
import { z } from "zod";
import { parseDuration } from "../coordination/base/duration.js";

/** The comparator kinds; several may be combined (e.g. `[unordered, numeric]`). */
export const comparatorKinds = [
  "exact",
  "whitespace",
  "unordered",
  "numeric",
] as const;
/** One comparator kind. */
export type ComparatorKind = (typeof comparatorKinds)[number];

/** Where expected outputs come from: a fresh recording first (`auto`), the recording only, or always the live reference. */
export const recordingModes = ["auto", "only", "off"] as const;
/** One recording mode. */
export type RecordingMode = (typeof recordingModes)[number];

const comparatorKind = z.enum(comparatorKinds, {
  error: (issue) =>
    `invalid comparator ${JSON.stringify(issue.input)}: use one of ${comparatorKinds.join(", ")}`,
});

const normaliserSchema = z
  .object({
    pattern: z
      .string()
      .describe(
        "A JavaScript regular expression, applied to both outputs before comparing.",
      ),
    replace: z
      .string()
      .default("")
      .describe("Replacement text ($1 etc. refer to groups)."),
    flags: z
      .string()
      .default("gm")
      .describe("RegExp flags (default gm: every match, ^/$ per line)."),
  })
  .superRefine((value, ctx) => {
    try {
      new RegExp(value.pattern, value.flags);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `invalid regular expression: ${(error as Error).message}`,
      });
    }
  });

// A single value is accepted where a list is expected; a comma-separated string is split (CLI style).
const asList = (split: boolean) => (value: unknown) =>
  typeof value === "string"
    ? split
      ? value.split(",").map((s) => s.trim())
      : [value]
    : value;
const stringList = z.preprocess(
  asList(false),
  z.array(z.string().min(1)).min(1),
);

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(String(value));
  if (ms === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `invalid duration ${JSON.stringify(value)}: write e.g. 500ms, 10s or 2m`,
    });
    return z.NEVER;
  }
  return ms;
});

const overrideSchema = z.object({
  cases: stringList.describe(
    "Globs of the cases this override applies to (the first matching override wins).",
  ),
  compare: z
    .preprocess(asList(true), z.array(comparatorKind).min(1))
    .optional()
    .describe("Comparator(s) for these cases."),
  tolerance: z
    .number()
    .nonnegative()
    .optional()
    .describe("Numeric tolerance for these cases."),
  normalise: z
    .array(normaliserSchema)
    .default([])
    .describe("Normalisers applied after the global ones."),
  checkExitCode: z
    .boolean()
    .optional()
    .describe("Whether exit codes must match for these cases."),
});

/** Zod schema of the `oracle:` section; `parse({})` gives a config with every default filled in. */
export const oracleConfigSchema = z
  .object({
    cases: stringList
      .default(["oracle/cases/**/*"])
      .describe(
        "Globs of test-case files, relative to the repository (`**`, `*`, `?`, `{a,b}`).",
      ),
    reference: z
      .string()
      .optional()
      .describe(
        "Shell command producing the expected output. `{case}` becomes the case path; without it the case is fed on stdin.",
      ),
    referenceInstallHint: z
      .string()
      .optional()
      .describe(
        "How to install the reference (shown when it is missing), e.g. `apt-get install sqlite3`.",
      ),
    candidate: z
      .string()
      .optional()
      .describe(
        "Shell command of the thing being built; same `{case}`/stdin rule as `reference`.",
      ),
    candidateInputs: z
      .array(z.string())
      .default([])
      .describe(
        "Globs of the candidate's build inputs; their contents are part of the result cache key.",
      ),
    compare: z
      .preprocess(asList(true), z.array(comparatorKind).min(1))
      .default(["exact"])
      .describe(
        "Comparator(s): exact, whitespace (collapse spaces, trim lines), unordered (lines as a multiset), numeric (numbers within tolerance).",
      ),
    tolerance: z
      .number()
      .nonnegative()
      .default(1e-9)
      .describe("Relative and absolute tolerance of the numeric comparator."),
    normalise: z
      .array(normaliserSchema)
      .default([])
      .describe("Regex replacements applied to both outputs before comparing."),
    overrides: z
      .array(overrideSchema)
      .default([])
      .describe(
        "Per-case settings, e.g. `unordered` for SQL without ORDER BY: [{ cases: GLOB, compare: unordered }].",
      ),
    checkExitCode: z
      .boolean()
      .default(true)
      .describe(
        "A candidate exit code different from the reference one fails the case.",
      ),
    timeout: duration
      .default(30_000)
      .describe(
        "Per-command timeout (`10s`, `500ms`, `2m`); past it the process group is killed.",
      ),
    jobs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Cases run in parallel (default: the number of cores)."),
    maxOutputBytes: z
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024)
      .describe(
        "Output cap per command (bytes, default 4 MiB); past it the process group is killed and the case fails.",
      ),
    expectSuffix: z
      .string()
      .min(1)
      .default(".expected")
      .describe(
        "A file `<case><suffix>` next to a case is its expected output (expect mode).",
      ),
    recordingDir: z
      .string()
      .default("oracle/expected")
      .describe("Where `gitswarm oracle record` stores reference outputs."),
    recording: z
      .enum(recordingModes)
      .default("auto")
      .describe(
        "auto: use fresh recordings, run the reference otherwise; only: never run the reference; off: always run it.",
      ),
    cacheDir: z
      .string()
      .default(".gitswarm/oracle-cache")
      .describe("Result cache, keyed by content hashes (git-ignore it)."),
  })
  .describe(
    "The oracle: differential tests of the candidate against a reference.",
  );

/** The oracle section after validation, with defaults applied. */
export type OracleConfig = z.output<typeof oracleConfigSchema>;
/** The oracle section as written in YAML (every field optional). */
export type OracleConfigInput = z.input<typeof oracleConfigSchema>;
