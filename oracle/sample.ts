/**
 * Deterministic sampling: `--sample 10% --seed NAME` picks the same subset for the same seed and
 * corpus, and different seeds pick (mostly) different subsets, so agents working in parallel each
 * get quick feedback on their own share of the cases.
 */
import { createHash } from "node:crypto";

/** A sampling request: the fraction of cases (0 < fraction <= 1) and the seed naming the subset. */
export interface SampleSpec {
  fraction: number;
  seed: string;
}

/** Parses `10%`, `0.1` or `25` (percent) into a fraction in (0, 1]; undefined if invalid. */
export function parseSampleFraction(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]);
  const fraction = match[2] === "%" || value > 1 ? value / 100 : value;
  return fraction > 0 && fraction <= 1 ? fraction : undefined;
}

/**
 * Picks `ceil(fraction * n)` case ids: those with the smallest hash of (seed, id). The size is
 * exact, and adding a case to the corpus moves at most one case in or out of each seed's subset.
 * Seeds are independent, so k seeds at fraction f cover about 1 - (1 - f)^k of the corpus.
 */
export function sampleCaseIds(
  ids: readonly string[],
  spec: SampleSpec,
): Set<string> {
  const count = Math.min(ids.length, Math.ceil(spec.fraction * ids.length));
  const ranked = ids.map((id) => ({ id, rank: rankOf(spec.seed, id) }));
  ranked.sort((a, b) =>
    a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : 1,
  );
  return new Set(ranked.slice(0, count).map((entry) => entry.id));
}

function rankOf(seed: string, id: string): string {
  return createHash("sha256")
    .update(seed)
    .update("\0")
    .update(id)
    .digest("hex");
}
