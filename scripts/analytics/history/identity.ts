/**
 * One identity per person: `Seed 64471af3 maintainers` (a git user.name) and
 * `Seed-64471af3-maintainers` (the same name made into an actor name by `--as`) are one human, and
 * so is one name under two emails. Names are compared case-insensitively with every run of other
 * characters as one '-'; a human's commits (no gitswarm trailer) also join by email. Agents share
 * no email, so email never merges two agents. `.mailmap` is applied before this by git itself (the
 * log reads `%aN`/`%aE`). Pure.
 */

/** The comparison key of a name: lower case, runs of non-alphanumerics as one '-'. */
export function identityKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** One commit's identity evidence: the name it is counted under, and a human author's email. */
export interface IdentitySighting {
  name: string;
  /** Set only for a human's own commit (no gitswarm trailer naming an agent). */
  email?: string;
}

/**
 * Maps every name seen to the one name its person is shown under: the spelling seen most often
 * (the earliest on a tie), across names that share a key or a human's email.
 */
export function resolveIdentities(
  sightings: readonly IdentitySighting[],
): (name: string) => string {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== undefined && parent.get(root) !== root)
      root = parent.get(root) as string;
    parent.set(key, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  const counts = new Map<string, { count: number; first: number }>();
  sightings.forEach((s, i) => {
    const key = `name:${identityKey(s.name) || s.name}`;
    if (!parent.has(key)) parent.set(key, key);
    if (s.email !== undefined && s.email !== "")
      union(`email:${s.email.toLowerCase()}`, key);
    const seen = counts.get(s.name);
    counts.set(s.name, {
      count: (seen?.count ?? 0) + 1,
      first: seen?.first ?? i,
    });
  });
  const best = new Map<string, string>();
  for (const [name, seen] of counts) {
    const root = find(`name:${identityKey(name) || name}`);
    const current = best.get(root);
    const other = current === undefined ? undefined : counts.get(current);
    if (
      other === undefined ||
      seen.count > other.count ||
      (seen.count === other.count && seen.first < other.first)
    )
      best.set(root, name);
  }
  return (name) => best.get(find(`name:${identityKey(name) || name}`)) ?? name;
}
