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
  "enqueue",
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

/** One `Key: value` trailer of a commit message. */
export interface Trailer {
  key: string;
  value: string;
}

// Parsed in-process: `git interpret-trailers` would cost a process per commit, which 100k-commit
// histories (analytics) cannot afford.
const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;

/**
 * The trailers of a message: its last paragraph, when at least one line there is `Key: value`
 * and every other line is one too or a continuation (indented). Git is laxer (it accepts 25 %
 * non-trailer lines); gitswarm writes clean blocks, and prose ending in "Note: x" must not count.
 */
export function parseTrailers(message: string): Trailer[] {
  const lines = message.replace(/\s+$/, "").split("\n");
  let start = lines.length;
  while (start > 0 && (lines[start - 1] ?? "").trim() !== "") start -= 1;
  // A one-paragraph message is all subject: it has no trailers.
  if (start === 0) return [];
  return parseTrailerBlock(lines.slice(start));
}

/** The trailers of a message's last paragraph (not its first), given as lines; [] if it is prose. */
export function parseTrailerBlock(paragraph: readonly string[]): Trailer[] {
  const trailers: Trailer[] = [];
  for (const line of paragraph) {
    if (line.trim() === "") continue;
    const match = TRAILER_LINE.exec(line);
    if (match) {
      trailers.push({ key: match[1] ?? "", value: (match[2] ?? "").trim() });
      continue;
    }
    const last = trailers.at(-1);
    if (last !== undefined && /^[ \t]/.test(line)) {
      last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    return [];
  }
  return trailers;
}

/** The first value of a trailer, keys compared case-insensitively as git does. */
export function trailerValue(
  trailers: readonly Trailer[],
  key: string,
): string | undefined {
  const wanted = key.toLowerCase();
  return trailers.find((t) => t.key.toLowerCase() === wanted)?.value;
}

/** A message's trailers by key (the last value of a repeated key wins): what the protocol reads. */
export function readTrailers(message: string): Map<string, string> {
  return new Map(parseTrailers(message).map((t) => [t.key, t.value]));
}
