/**
 * `gitswarm.config.yaml`: one zod schema is the source of truth for its types, defaults and
 * descriptions. Errors come back as `gitswarm.config.yaml:LINE: path: message` with the fix.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { UserError } from "../coordination/base/errors.js";
import { parseDuration } from "../coordination/base/duration.js";

export const CONFIG_FILE = "gitswarm.config.yaml";

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((text) => parseDuration(text) !== undefined, {
      message: "must be a duration such as '90s', '10m' or '2h'",
    });

export const hubConfigSchema = z
  .object({
    url: z
      .string()
      .optional()
      .describe(
        "Hub remote URL or path; default: a bare hub in .gitswarm/hub.git",
      ),
    remote: z
      .string()
      .default("origin")
      .describe("The clones' name for the hub remote"),
    branch: z
      .string()
      .default("main")
      .describe("The shared branch that holds PROGRESS.md and locks/"),
  })
  .describe("Where agents push");

export const configSchema = z
  .object({
    hub: hubConfigSchema.prefault({}),
    lease: duration("10m").describe(
      "How long a claim lives without a heartbeat before it may be broken",
    ),
    maxAttempts: z
      .number()
      .int()
      .positive()
      .default(3)
      .describe("Failed attempts before a task is marked blocked"),
    routing: z
      .record(z.string(), z.array(z.string()))
      .default({})
      .describe(
        "tag → agent kinds or names that may take tasks with that tag, e.g. frontend: [claude-code]",
      ),
    stuckAfter: duration("15m").describe(
      "Kill and respawn an agent that reports no progress for this long",
    ),
    maxRespawns: z
      .number()
      .int()
      .nonnegative()
      .default(3)
      .describe("Respawns of a dying agent before it is given up"),
    // Sections owned by the oracle and the agents; validated by their own schemas where used.
    oracle: z.unknown().optional(),
    agents: z.unknown().optional(),
  })
  .loose();

export type SwarmConfig = z.infer<typeof configSchema>;

/** Reads and validates the config of a swarm repo; a missing file gives the defaults. */
export async function loadConfig(repoDir: string): Promise<SwarmConfig> {
  const file = path.join(repoDir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return configSchema.parse({});
    throw new UserError(
      "bad-config",
      `cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseConfig(text, CONFIG_FILE);
}

/** Parses config text; throws a UserError listing `file:line: path: message` for every problem. */
export function parseConfig(text: string, file = CONFIG_FILE): SwarmConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error?.linePos?.[0]?.line;
    throw new UserError(
      "bad-config",
      `${file}:${line ?? 1}: ${error?.message.split("\n")[0]} (fix the YAML syntax)`,
    );
  }
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const node = doc.getIn(issue.path as (string | number)[], true) as
      { range?: [number] } | undefined;
    const at = node?.range ? `:${lineCounter.linePos(node.range[0]).line}` : "";
    return `  ${file}${at}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`;
  });
  throw new UserError("bad-config", `${file} is invalid:\n${lines.join("\n")}`);
}

/** The lease from config in milliseconds. */
export function leaseMs(config: SwarmConfig): number {
  return parseDuration(config.lease) ?? 600_000;
}
