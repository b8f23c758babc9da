/**
 * Commit messages gitswarm writes: a subject, an optional body, and git trailers that make history
 * machine-readable (`Swarm-Action`, `Swarm-Task`, `Swarm-Agent`, `Swarm-Claim`, …).
 */

/** Every kind of commit gitswarm makes; analytics classifies by these. */
export const SwarmActions = [
  "init",
  "claim",
  "release",
  "done",
  "block",
  "break",
  "progress",
  "heartbeat",
  "coalesce",
  "archive",
] as const;
export type SwarmAction = (typeof SwarmActions)[number];

export interface SwarmCommit {
  /** Absent for an agent's work commits on its work branch: analytics counts those as work. */
  action?: SwarmAction;
  subject: string;
  body?: string;
  task?: string;
  agent?: string;
  claimId?: string;
  /** Further trailers, e.g. `Swarm-Evidence`, in order. */
  extra?: Record<string, string>;
}

/** Renders the full commit message with its trailer block last, as `git interpret-trailers` reads it. */
export function renderCommitMessage(commit: SwarmCommit): string {
  const trailers: [string, string | undefined][] = [
    ["Swarm-Action", commit.action],
    ["Swarm-Task", commit.task],
    ["Swarm-Agent", commit.agent],
    ["Swarm-Claim", commit.claimId],
    ...Object.entries(commit.extra ?? {}).map(
      ([key, value]) => [key, value] as [string, string],
    ),
  ];
  const block = trailers
    .filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && entry[1] !== "",
    )
    .map(([key, value]) => `${key}: ${value.replace(/\s*\n\s*/g, " ")}`);
  const body = commit.body?.trim();
  return [
    commit.subject.trim(),
    "",
    ...(body ? [body, ""] : []),
    ...block,
    "",
  ].join("\n");
}

/** Reads `Key: value` trailers from the last paragraph of a commit message. */
export function parseTrailers(message: string): Map<string, string> {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? (paragraphs.at(-1) ?? "") : "";
  const trailers = new Map<string, string>();
  for (const line of last.split("\n")) {
    const match = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (match) trailers.set(match[1] ?? "", match[2] ?? "");
  }
  return trailers;
}
