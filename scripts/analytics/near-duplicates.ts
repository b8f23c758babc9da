/**
 * Near-duplicate task names: foreign swarms named locks freely, so one task was claimed as
 * `fix-parser`, `parser_fix` and `Fix parser bugs`. Names are normalised to sorted word sets and
 * compared by normalised edit distance.
 */

/** Lowercases, splits into words on anything not a letter or digit, drops a plural -s, sorts. */
export function normalizeTaskName(name: string): string {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .sort()
    .join(' ');
}

/** Levenshtein distance (two rows of memory). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function digits(name: string): string {
  return (name.match(/\d+/g) ?? []).join(',');
}

/** Edit distance over the longer length: 0 for equal, 1 for nothing in common. */
export function nameDistance(a: string, b: string): number {
  const x = normalizeTaskName(a);
  const y = normalizeTaskName(b);
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 0 : editDistance(x, y) / longest;
}

/** Names at most this far apart (normalised) are the same task under two names. */
export const NEAR_DUPLICATE_DISTANCE = 0.25;

/**
 * Groups distinct names that are near-duplicates of each other (single linkage), largest group
 * first; names alone in their group are left out. Quadratic in the names, so capped: past
 * `limit` names only exact normalised matches are grouped.
 */
export function groupNearDuplicates(names: readonly string[], limit = 2000): string[][] {
  const unique = [...new Set(names)];
  const parent = unique.map((_, i) => i);
  const find = (start: number): number => {
    let i = start;
    while (parent[i] !== i) i = parent[i] ?? i;
    return i;
  };
  const normalised = unique.map(normalizeTaskName);
  const byKey = new Map<string, number>();
  normalised.forEach((key, i) => {
    const first = byKey.get(key);
    if (first === undefined) byKey.set(key, i);
    else parent[find(i)] = find(first);
  });
  if (unique.length <= limit) {
    for (let i = 0; i < unique.length; i += 1) {
      for (let j = i + 1; j < unique.length; j += 1) {
        const a = normalised[i] ?? '';
        const b = normalised[j] ?? '';
        const longest = Math.max(a.length, b.length);
        // Cheap bound first: lengths alone may rule the pair out.
        if (Math.abs(a.length - b.length) > NEAR_DUPLICATE_DISTANCE * longest) continue;
        // `step-1` and `step-2` are two tasks, however close the spelling.
        if (digits(a) !== digits(b)) continue;
        if (longest === 0 || editDistance(a, b) / longest <= NEAR_DUPLICATE_DISTANCE) parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, string[]>();
  unique.forEach((name, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), name]));
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort())
    .sort((a, b) => b.length - a.length || (a[0] ?? '').localeCompare(b[0] ?? ''));
}
