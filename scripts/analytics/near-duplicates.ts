/**
 * Near-duplicate task names: foreign swarms named locks freely, so one task was claimed as
 * `parser_impl`, `impl-parser` and `parser-implementation`. Names are compared by their core words
 * (generic ones like "impl" or "fix" dropped), each word allowed one typo; numbers must agree.
 */

/** Words that say nothing about which task it is. */
const GENERIC = [
  "a",
  "add",
  "an",
  "and",
  "feature",
  "fix",
  "for",
  "impl",
  "implement",
  "implementation",
  "of",
  "support",
  "task",
  "the",
  "to",
  "todo",
  "wip",
  "work",
];

/** Lowercase words of a name, split on anything not a letter or digit, plural -s dropped. */
export function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) =>
      w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w,
    );
}

/** Levenshtein distance (two rows of memory). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min(
          (previous[j] ?? 0) + 1,
          (current[j - 1] ?? 0) + 1,
          (previous[j - 1] ?? 0) + cost,
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Equal, or one typo apart in words long enough for a typo to be one (`pager` vs `parser` is not). */
function sameWord(a: string, b: string): boolean {
  return a === b || (a.length >= 5 && b.length >= 5 && editDistance(a, b) <= 1);
}

/** The words that name the task: generic words dropped, unless nothing else is left. */
export function coreWords(name: string): string[] {
  const words = nameWords(name);
  const core = words.filter(
    (w) => !/^\d+$/.test(w) && !GENERIC.some((g) => sameWord(w, g)),
  );
  return (
    core.length > 0 ? core : words.filter((w) => !/^\d+$/.test(w))
  ).sort();
}

/** The key exact grouping uses: core words joined, so `b-tree` and `btree` share one. */
function groupKey(name: string): string {
  return `${coreWords(name).join("")}#${digits(name)}`;
}

function digits(name: string): string {
  return (name.match(/\d+/g) ?? []).join(",");
}

/** True when two names most likely name one task. `step-1` and `step-2` are two tasks. */
export function isNearDuplicate(a: string, b: string): boolean {
  if (digits(a) !== digits(b)) return false;
  if (groupKey(a) === groupKey(b)) return true;
  const x = coreWords(a);
  const y = coreWords(b);
  if (x.length !== y.length) return false;
  const unmatched = [...y];
  for (const word of x) {
    const at = unmatched.findIndex((other) => sameWord(word, other));
    if (at < 0) return false;
    unmatched.splice(at, 1);
  }
  return true;
}

/**
 * Groups distinct names that are near-duplicates (single linkage), largest group first; names
 * alone in their group are left out. Pairwise up to `limit` names; past it (quadratic cost) only
 * names with equal core words are grouped.
 */
export function groupNearDuplicates(
  names: readonly string[],
  limit = 2000,
): string[][] {
  const unique = [...new Set(names)];
  const parent = unique.map((_, i) => i);
  const find = (start: number): number => {
    let i = start;
    while (parent[i] !== i) i = parent[i] ?? i;
    return i;
  };
  const byKey = new Map<string, number>();
  unique.forEach((name, i) => {
    const key = groupKey(name);
    const first = byKey.get(key);
    if (first === undefined) byKey.set(key, i);
    else parent[find(i)] = find(first);
  });
  if (unique.length <= limit) {
    for (let i = 0; i < unique.length; i += 1) {
      for (let j = i + 1; j < unique.length; j += 1) {
        if (
          find(i) !== find(j) &&
          isNearDuplicate(unique[i] ?? "", unique[j] ?? "")
        )
          parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, string[]>();
  unique.forEach((name, i) =>
    groups.set(find(i), [...(groups.get(find(i)) ?? []), name]),
  );
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort())
    .sort(
      (a, b) => b.length - a.length || (a[0] ?? "").localeCompare(b[0] ?? ""),
    );
}
