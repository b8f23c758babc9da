/**
 * The `gates:` and `review:` sections of gitswarm.config.yaml: the project's own command gates
 * (run in the agent's clone, in order, before the AI review) and who reviews the work. Part of the
 * one config schema (runner/config.ts).
 */
import { z } from "zod";
import { parseDuration } from "../../coordination/base/duration.js";

/** One project gate: a shell command run in the agent's clone; a non-zero exit fails the attempt. */
export const commandGateSchema = z
  .object({
    name: z
      .string()
      .regex(/^[\w.-]+$/, {
        message: "must be a short name (letters, digits, '._-'), e.g. lint",
      })
      .refine((name) => !BUILT_IN_GATES.includes(name as BuiltInGate), {
        message: "names a built-in gate; pick another name",
      })
      .describe("The gate's name, shown in failures and the live view"),
    command: z
      .string()
      .min(1)
      .describe(
        "A shell command, run in the agent's clone (e.g. npm run lint)",
      ),
    timeout: z
      .string()
      .default("10m")
      .refine((text) => parseDuration(text) !== undefined, {
        message: "must be a duration such as '90s' or '10m'",
      })
      .describe("Kill the command after this long (a failed gate)"),
  })
  .strict();

/** Gates gitswarm runs itself; `oracle` may be placed among the command gates. */
export const BUILT_IN_GATES = ["change", "oracle", "review", "human"] as const;
/** One of {@link BUILT_IN_GATES}. */
export type BuiltInGate = (typeof BUILT_IN_GATES)[number];

export const gatesConfigSchema = z
  .array(z.union([z.literal("oracle"), commandGateSchema]))
  .default([])
  .refine(
    (gates) => {
      const names = gates.map((g) => (typeof g === "string" ? g : g.name));
      return new Set(names).size === names.length;
    },
    { message: "each gate name may appear once" },
  )
  .describe(
    "Project gates in order, e.g. [{ name: lint, command: npm run lint }]; 'oracle' places the oracle among them (default: after them)",
  );

/** A `gates:` entry as validated: a command gate or the oracle's place. */
export type GateEntry = z.infer<typeof gatesConfigSchema>[number];

/** Reviews in a row with no verdict before the task is blocked (`review.maxDeferrals`). */
export const DEFAULT_MAX_DEFERRALS = 3;

export const reviewConfigSchema = z
  .object({
    reviewers: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "Configured agents (by name or kind) that review each change; default: one agent of a different vendor than the author, where one is configured; [] for none",
      ),
    rule: z
      .enum(["all", "any"])
      .default("all")
      .describe(
        "all: every reviewer must approve; any: one approval is enough",
      ),
    human: z
      .boolean()
      .default(false)
      .describe(
        "Every change waits, passed and reviewed, for 'gitswarm approve ID' before it lands",
      ),
    maxDeferrals: z
      .number()
      .int({ message: "must be a whole number, e.g. 3" })
      .min(1, { message: "must be at least 1" })
      .default(DEFAULT_MAX_DEFERRALS)
      .describe(
        "Reviews in a row with no verdict (a reviewer that errs, is rate-limited or out of budget) before the task is blocked for a human to fix the reviewer",
      ),
  })
  .strict()
  .describe("The AI review and the human approval before a change lands");

/** The validated `review:` section. */
export type ReviewConfig = z.infer<typeof reviewConfigSchema>;
