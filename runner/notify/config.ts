/**
 * The `notify:` section of gitswarm.config.yaml: a list of targets, each with its kind (a generic
 * JSON webhook, Slack, Discord, ntfy or a local command) and the events it wants. A webhook URL is
 * a secret (whoever has it can post): prefer `urlEnv`, the name of a variable that holds it; a URL
 * written in the file is accepted and redacted from logs and events all the same.
 */
import { z } from "zod";

/** The events a target can ask for. */
export const NOTIFY_EVENTS = [
  "task-blocked",
  "task-done",
  "run-finished",
  "run-failed",
  "budget-80",
  "review-ready",
] as const;

/** One notification event's name. */
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];

/** The kinds of target. */
export const NOTIFY_KINDS = [
  "webhook",
  "slack",
  "discord",
  "ntfy",
  "command",
] as const;

const target = z
  .object({
    kind: z
      .enum(NOTIFY_KINDS)
      .describe(
        "webhook (JSON POST), slack / discord (their incoming-webhook formats), ntfy (a topic URL), command (a shell command)",
      ),
    name: z
      .string()
      .min(1)
      .optional()
      .describe("A label for messages (default: kind and position)"),
    url: z
      .url()
      .optional()
      .describe(
        "The webhook or ntfy topic URL; a secret: prefer urlEnv (never printed either way)",
      ),
    urlEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        message: "must be an environment variable name",
      })
      .optional()
      .describe("The environment variable that holds the URL"),
    command: z
      .string()
      .min(1)
      .optional()
      .describe(
        "kind: command: a shell command; gets the event as JSON on stdin and GITSWARM_NOTIFY_EVENT / GITSWARM_NOTIFY_TEXT",
      ),
    events: z
      .array(z.enum(NOTIFY_EVENTS))
      .min(1)
      .default(["task-blocked", "run-finished", "run-failed", "budget-80"])
      .describe(
        "Which events to send: task-blocked, task-done, run-finished, run-failed, budget-80, review-ready",
      ),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.kind === "command" && t.command === undefined)
      ctx.addIssue({
        code: "custom",
        message: "a command target needs 'command: <shell command>'",
      });
    if (
      t.kind !== "command" &&
      (t.url === undefined) === (t.urlEnv === undefined)
    )
      ctx.addIssue({
        code: "custom",
        message: `a ${t.kind} target needs exactly one of 'url' or 'urlEnv'`,
      });
  });

/** The `notify:` section: a list of targets. */
export const notifyConfigSchema = z
  .array(target)
  .default([])
  .describe(
    "Notification targets (runner/notify/): kind, url or urlEnv (or command), events",
  );

/** One configured target. */
export type NotifyTarget = z.infer<typeof target>;
