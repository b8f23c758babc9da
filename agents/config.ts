/**
 * The `agents:` section of gitswarm.config.yaml and the `--agents KIND:COUNT,...` flag. One zod
 * schema is the source of truth for types, defaults and descriptions; the runner composes it into
 * the top-level config.
 */
import { z } from "zod";
import { parseDuration } from "../coordination/base/duration.js";
import { KIND_INFO } from "./kinds.js";
import { AgentKinds } from "./types.js";

const durationMs = z
  .union([z.number().positive(), z.string()])
  .transform((value, ctx) => {
    const ms = typeof value === "number" ? value * 1000 : parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `'${value}' is not a duration; write e.g. 90s, 30m or 2h`,
      });
      return z.NEVER;
    }
    return ms;
  });

/** One agent declaration. `timeout` is written as a duration (`30m`) and parsed to milliseconds. */
export const agentSpecSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, ".", "_" and "-"')
      .describe("unique name, used in locks and logs"),
    kind: z
      .enum(AgentKinds, { message: `must be one of ${AgentKinds.join(", ")}` })
      .describe("what runs the agent"),
    model: z
      .string()
      .min(1)
      .optional()
      .describe(
        "model id; default per kind (CLI kinds: the CLI's own default)",
      ),
    baseUrl: z
      .string()
      .url()
      .optional()
      .describe(
        "API endpoint; for openai, any OpenAI-compatible server (Ollama, vLLM)",
      ),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional()
      .describe("env var holding the API key; default per kind"),
    command: z
      .string()
      .min(1)
      .optional()
      .describe(
        "for kind command: a shell command run with the task prompt in $GITSWARM_PROMPT",
      ),
    capabilities: z
      .array(z.string().min(1))
      .default([])
      .describe("task tags this agent can take, e.g. gpu"),
    count: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe("how many instances to run"),
    budgetUsd: z
      .number()
      .positive()
      .optional()
      .describe("dollar budget per task attempt"),
    fallback: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) =>
        v === undefined ? [] : typeof v === "string" ? [v] : v,
      )
      .describe(
        "agent name(s) to try when this one is rate-limited or failing",
      ),
    maxTurns: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(40)
      .describe("model turns per attempt (API kinds)"),
    timeout: durationMs
      .default(30 * 60_000)
      .describe("wall-clock limit per attempt, e.g. 30m"),
    passEnv: z
      .array(z.string())
      .default([])
      .describe(
        "secret-looking env vars still passed to tool and job processes",
      ),
  })
  .strict();

/** A validated agent declaration, defaults applied. */
export type AgentSpec = z.output<typeof agentSpecSchema>;

/** The `agents:` section: a list of agent specs with unique names and resolvable fallbacks. */
export const agentsConfigSchema = z
  .array(agentSpecSchema)
  .superRefine((specs, ctx) => {
    const names = new Set<string>();
    specs.forEach((spec, i) => {
      if (names.has(spec.name))
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `duplicate agent name '${spec.name}'; names must be unique`,
        });
      names.add(spec.name);
    });
    specs.forEach((spec, i) => {
      for (const target of spec.fallback) {
        if (!names.has(target))
          ctx.addIssue({
            code: "custom",
            path: [i, "fallback"],
            message: `unknown agent '${target}'; declare it in agents: too`,
          });
        if (target === spec.name)
          ctx.addIssue({
            code: "custom",
            path: [i, "fallback"],
            message: "an agent cannot fall back to itself",
          });
      }
    });
  });

/** Fills an agent spec's defaults (as the schema would) from a kind and a name. */
export function defaultSpec(
  kind: AgentSpec["kind"],
  name: string,
  overrides: Partial<z.input<typeof agentSpecSchema>> = {},
): AgentSpec {
  return agentSpecSchema.parse({ name, kind, ...overrides });
}

/** The model a spec runs: its own, else the kind's default (undefined: the CLI decides). */
export function modelOf(spec: AgentSpec): string | undefined {
  return spec.model ?? KIND_INFO[spec.kind].defaultModel;
}

/** Formats zod issues as `file: path: message` lines for a UserError. */
export function formatIssues(
  file: string,
  prefix: string,
  error: z.ZodError,
): string {
  return error.issues
    .map(
      (issue) =>
        `${file}: ${[prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".")}: ${issue.message}`,
    )
    .join("\n");
}
