/**
 * Git trailers parsed from a commit message in-process: `git interpret-trailers` would cost a
 * process per commit, which 100k-commit histories cannot afford.
 */
import type { Trailer } from "./types.js";

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

/** The names in `Co-authored-by: Name <email>` trailers, in order. */
export function coAuthors(trailers: readonly Trailer[]): string[] {
  return trailers
    .filter((t) => t.key.toLowerCase() === "co-authored-by")
    .map((t) => t.value.replace(/<[^>]*>/, "").trim())
    .filter((name) => name !== "");
}

/** True when the trailers are gitswarm's own (any `Swarm-Action`, `Swarm-Agent` or `Swarm-Task`). */
export function hasSwarmTrailers(trailers: readonly Trailer[]): boolean {
  return trailers.some((t) => /^swarm-(action|agent|task)$/i.test(t.key));
}
