/** What analytics reads from trailers beyond their values: co-authors, and whether gitswarm wrote a commit. */
import type { Trailer } from "../../../coordination/git/trailers.js";

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
