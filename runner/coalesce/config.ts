/**
 * The `coalesce:` section of `gitswarm.config.yaml` (one zod schema: types, defaults, descriptions)
 * and how to point a message at the config line a value came from.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  CONFIG_FILE,
  parseConfigDocument,
} from "../../coordination/base/config-file.js";
import { parseDuration } from "../../coordination/base/duration.js";

const durationText = z
  .string()
  .refine((text) => parseDuration(text) !== undefined, {
    message: "must be a duration such as '90s', '10m', '2h' or '7d'",
  });

/** One project detector: a shell command that prints findings (JSON lines). */
export const detectorSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]*$/,
        "use lowercase letters, digits, '.', '_', '-'",
      )
      .describe("Names the detector in findings and messages"),
    command: z
      .string()
      .min(1)
      .describe(
        "Shell command run in the repo; prints one finding per line as JSON ({kind, files?, lines?, detail, fix})",
      ),
    timeout: durationText
      .default("2m")
      .describe("Killed (with its process group) after this long"),
  })
  .strict();

/** `coalesce.every`: after N landed tasks, after a duration of run time, or both (first wins). */
const everySchema = z.preprocess(
  (value) =>
    typeof value === "number"
      ? { tasks: value }
      : typeof value === "string"
        ? { duration: value }
        : value,
  z
    .object({
      tasks: z.number().int().positive().optional(),
      duration: durationText.optional(),
    })
    .strict(),
);

export const coalesceConfigSchema = z
  .object({
    every: everySchema
      .optional()
      .describe(
        "Run the coalescer during a swarm run every N landed tasks (a number), every duration ('30m'), or { tasks, duration }",
      ),
    atEnd: z
      .boolean()
      .default(false)
      .describe(
        "Run it at the end of a swarm run when the code findings grew since its start (costs a scan at start and end)",
      ),
    agent: z
      .string()
      .optional()
      .describe(
        "The configured agent (name or kind) that makes the one code cleanup; default: the run's first agent",
      ),
    cleanup: z
      .boolean()
      .default(true)
      .describe(
        "Let an agent make one code cleanup per run (false: deterministic fixes only)",
      ),
    retention: durationText
      .default("7d")
      .describe(
        "Work branches of done tasks are pruned from the hub once their last push is this old",
      ),
    archive: z
      .boolean()
      .default(true)
      .describe("Move done tasks (with their notes) to PROGRESS-archive.md"),
    duplicates: z
      .object({
        enabled: z.boolean().default(true),
        minLines: z.number().int().positive().default(5),
        minTokens: z.number().int().positive().default(50),
        ignore: z
          .array(z.string())
          .default([])
          .describe(
            "Globs jscpd skips (node_modules, .git and .gitswarm always are)",
          ),
      })
      .strict()
      .prefault({})
      .describe("Duplicated code (jscpd 5.3.2)"),
    unused: z
      .enum(["auto", "off"])
      .default("auto")
      .describe(
        "Unused files, exports and dependencies (knip) where the repo has a package.json",
      ),
    progress: z
      .object({
        maxLines: z.number().int().positive().default(300),
        repeatedNotes: z.number().int().min(2).default(3),
      })
      .strict()
      .prefault({})
      .describe(
        "PROGRESS.md bloat: a line budget, and how often one note may repeat",
      ),
    docs: z
      .array(z.string())
      .default(["README.md", "DESIGN.md"])
      .describe("Documents checked for files and commands that do not exist"),
    externalPaths: z
      .array(z.string())
      .default([])
      .describe(
        "Names the documents mention that live outside the repository (a user's paths, another tool's files): not drift",
      ),
    detectors: z
      .array(detectorSchema)
      .default([])
      .describe("Project detectors: commands that print findings"),
    timeout: durationText
      .default("5m")
      .describe("Time limit of each built-in detector"),
  })
  .strict();

/** The validated `coalesce:` section. */
export type CoalesceConfig = z.infer<typeof coalesceConfigSchema>;
/** One configured detector. */
export type DetectorConfig = z.infer<typeof detectorSchema>;

/**
 * `gitswarm.config.yaml:LINE` of the value at `keys` (e.g. `['coalesce', 'detectors', 0,
 * 'command']`; the nearest existing parent's line when the key itself is missing), or the bare
 * file name when the file is missing or is not YAML.
 */
export async function locateConfigValue(
  repoDir: string,
  keys: readonly (string | number)[],
): Promise<string> {
  const text = await readFile(path.join(repoDir, CONFIG_FILE), "utf8").catch(
    () => undefined,
  );
  if (text === undefined) return CONFIG_FILE;
  let line: number | undefined;
  try {
    line = parseConfigDocument(text).lineOf(keys);
  } catch {
    line = undefined;
  }
  return line === undefined ? CONFIG_FILE : `${CONFIG_FILE}:${line}`;
}
