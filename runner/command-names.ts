/**
 * The names of gitswarm's commands, in the order `--help` lists them. Below the CLI so the runner's
 * own readers of them (the coalescer's doc-drift check) never import the CLI, which is the top layer;
 * the CLI's command table is typed by this list, so the two cannot drift.
 */
export const COMMAND_NAMES = [
  "init",
  "run",
  "status",
  "logs",
  "dashboard",
  "pause",
  "resume",
  "agent",
  "add",
  "claim",
  "heartbeat",
  "release",
  "land",
  "locks",
  "approve",
  "reject",
  "reopen",
  "block",
  "oracle",
  "analytics",
  "archive",
  "progress",
  "coalesce",
  "doctor",
  "notify",
  "merge-driver",
] as const;

/** One command's name. */
export type CommandName = (typeof COMMAND_NAMES)[number];
