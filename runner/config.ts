/**
 * `gitswarm.config.yaml`: one zod schema is the source of truth for its types, defaults and
 * descriptions. Errors come back as `gitswarm.config.yaml:LINE: path: message` with the fix.
 */
import { z } from "zod";
import {
  CONFIG_FILE,
  parseConfigDocument,
  readConfigText,
  validateSection,
} from "../coordination/base/config-file.js";
import { parseDuration, parseLease } from "../coordination/base/duration.js";
import { coalesceConfigSchema } from "./coalesce/config.js";
import { queueConfigSchema } from "./queue/config.js";
import { notifyConfigSchema } from "./notify/config.js";
import { gatesConfigSchema, reviewConfigSchema } from "./gates/gates-config.js";
import { sandboxConfigSchema } from "./sandbox-config.js";

export { CONFIG_FILE };

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((text) => parseDuration(text) !== undefined, {
      message: "must be a duration such as '90s', '10m' or '2h'",
    });

// Names that reach git's command line: one starting with '-' would be read as an option.
const gitName = (what: string) =>
  z
    .string()
    .regex(/^(?!-)[\w./@-]+$/, {
      message: `must be a ${what} name (letters, digits, '._/-@', not starting with '-')`,
    })
    .refine((name) => !/\.\.|\/\/|@\{|\.lock(\/|$)|\/$|\.$|^\//.test(name), {
      message: `is not a valid git ${what} name (see git check-ref-format)`,
    });

export const hubConfigSchema = z
  .object({
    url: z
      .string()
      .optional()
      .describe(
        "Hub remote URL or path; default: a bare hub in .gitswarm/hub.git",
      ),
    remote: gitName("remote")
      .default("origin")
      .describe("The clones' name for the hub remote"),
    branch: gitName("branch")
      .default("main")
      .describe("The shared branch that holds PROGRESS.md and locks/"),
  })
  .strict()
  .describe("Where agents push");

export const configSchema = z
  .object({
    hub: hubConfigSchema.prefault({}),
    lease: z
      .string()
      .default("10m")
      // Parsed once here: the rest of the runner reads the lease in milliseconds.
      .transform((text, ctx) => {
        const lease = parseLease(text);
        if (lease.ok) return lease.ms;
        ctx.addIssue({ code: "custom", message: lease.problem });
        return z.NEVER;
      })
      .describe(
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
    hubOutage: duration("5m").describe(
      "How long fetches and pushes retry an unreachable hub (agents keep working locally) before the run stops, resumably",
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
    prices: z.unknown().optional(),
    gpus: z
      .union([
        z.number().int().nonnegative(),
        z.array(z.number().int().nonnegative()),
      ])
      .optional()
      .describe(
        "GPUs this host lends to job tasks: a count (0 = none) or a list of nvidia-smi indices; default: what nvidia-smi lists",
      ),
    jobs: z
      .object({
        checkpointDir: z
          .string()
          .min(1)
          .default(".gitswarm/jobs")
          .describe(
            "Where job run dirs (checkpoints, metrics) live, relative to the repository; outside every clone",
          ),
        stopGrace: duration("30s").describe(
          "After SIGTERM, how long a job may take to checkpoint before SIGKILL",
        ),
      })
      .strict()
      .prefault({})
      .describe("Job tasks (`run:` with `gpu:`): checkpoints and stopping"),
    gates: gatesConfigSchema,
    review: reviewConfigSchema.prefault({}),
    notify: notifyConfigSchema,
    sandbox: sandboxConfigSchema
      .prefault({})
      .describe(
        "How agents' commands are confined: `sandbox: off`, or { mode, network, readOnly, readWrite, unavailable }",
      ),
    queue: queueConfigSchema
      .prefault({})
      .describe("The merge queue (runner/queue/config.ts)"),
    coalesce: coalesceConfigSchema
      .prefault({})
      .describe(
        "The coalescer: schedule, detectors, retention (runner/coalesce/config.ts)",
      ),
  })
  .strict();

export type SwarmConfig = z.infer<typeof configSchema>;

/** Reads and validates the config of a swarm repo; a missing file gives the defaults. */
export async function loadConfig(repoDir: string): Promise<SwarmConfig> {
  const text = await readConfigText(repoDir);
  return text === undefined ? configSchema.parse({}) : parseConfig(text);
}

/** Parses config text; throws a UserError listing `file:line: path: message` for every problem. */
export function parseConfig(text: string, file = CONFIG_FILE): SwarmConfig {
  const doc = parseConfigDocument(text, file);
  return validateSection(doc, configSchema, doc.root);
}
