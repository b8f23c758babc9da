/**
 * A three-way merge of sequences that never conflicts and never drops an addition: the engine
 * under both levels of the PROGRESS.md merge (the document's skeleton of prose lines and task
 * tokens, and the nested lines inside one task).
 *
 * The result starts from ours (git's %A: the current branch in a merge, the upstream in a
 * rebase), removes what theirs deleted from base, then inserts each of theirs' additions after its
 * predecessor in theirs — after any additions of ours at that same spot, so "ours then theirs" is
 * the tie rule. Units that are *unique* (task tokens) appear at most once: whether they appear at
 * all is decided by the caller (`present`); a unique unit moved by theirs alone goes where theirs
 * put it (with any unique units ours added right after it), one moved by both where ours put it.
 */
import { invertMatches, matchSequences } from './sequence-diff.js';

/** Where a merged unit is taken from, and why it is there. */
export interface MergedUnit {
  side: 'ours' | 'theirs';
  /** Index into that side's sequence. */
  index: number;
  /** `base`: kept from base by ours; `ours`/`theirs`: added (or moved) by that side. */
  origin: 'base' | 'ours' | 'theirs';
}

/** How the caller treats special units; both default to "plain line". */
export interface SequencePolicy {
  /** Units that may occur once at most (task tokens), placed by identity rather than by content. */
  unique?(key: string): boolean;
  /** For unique units: whether the merged document keeps this one at all. */
  present?(key: string): boolean;
}

/** Merges `ours` and `theirs`, both derived from `base`; returns the units of the result in order. */
export function mergeSequences(
  base: readonly string[],
  ours: readonly string[],
  theirs: readonly string[],
  policy: SequencePolicy = {},
): MergedUnit[] {
  const unique = policy.unique ?? (() => false);
  const present = policy.present ?? (() => true);
  const oursToBase = invertMatches(matchSequences(base, ours), ours.length);
  const baseToTheirs = matchSequences(base, theirs);
  const theirsToBase = invertMatches(baseToTheirs, theirs.length);
  const uniqueInTheirs = new Set(theirs.filter(unique));
  const uniqueInBase = new Set(base.filter(unique));

  const kept: MergedUnit[] = [];
  // Tasks ours added right after a task that theirs moved travel with it (rule: a new task follows
  // its predecessor), so the result does not depend on which side git calls ours.
  const followers = new Map<string, MergedUnit[]>();
  let movedByTheirs: string | undefined;
  ours.forEach((key, index) => {
    const baseIndex = oursToBase[index] ?? -1;
    const deletedByTheirs = baseIndex >= 0 && (baseToTheirs[baseIndex] ?? -1) < 0;
    const unit: MergedUnit = { side: 'ours', index, origin: baseIndex >= 0 ? 'base' : 'ours' };
    if (unique(key)) {
      if (!present(key)) return;
      if (deletedByTheirs && uniqueInTheirs.has(key)) {
        movedByTheirs = key;
        return;
      }
      if (baseIndex >= 0) movedByTheirs = undefined;
      else if (movedByTheirs !== undefined && !uniqueInBase.has(key) && !uniqueInTheirs.has(key)) {
        followers.set(movedByTheirs, [...(followers.get(movedByTheirs) ?? []), unit]);
        return;
      }
    } else if (deletedByTheirs) return;
    kept.push(unit);
  });

  const anchored = anchorTheirs(kept, ours, theirs, theirsToBase, unique, present, followers);
  return interleave(kept, anchored);
}

/** Groups theirs' additions by the kept unit they follow (-1: the start). */
function anchorTheirs(
  kept: readonly MergedUnit[],
  ours: readonly string[],
  theirs: readonly string[],
  theirsToBase: Int32Array,
  unique: (key: string) => boolean,
  present: (key: string) => boolean,
  followers: Map<string, MergedUnit[]>,
): Map<number, MergedUnit[]> {
  const keptKeys = kept.map((unit) => ours[unit.index] ?? '');
  const theirsToKept = invertMatches(matchSequences(keptKeys, theirs), theirs.length);
  const keptUnique = new Map<string, number>();
  keptKeys.forEach((key, i) => {
    if (unique(key)) keptUnique.set(key, i);
  });
  const anchored = new Map<number, MergedUnit[]>();
  let anchor = -1;
  theirs.forEach((key, index) => {
    const isUnique = unique(key);
    // A task's predecessor is found by identity, so an addition follows its task even when ours moved it.
    const placed = isUnique ? keptUnique.get(key) : undefined;
    if (placed !== undefined) anchor = placed;
    else if ((theirsToKept[index] ?? -1) >= 0 && !isUnique) anchor = theirsToKept[index] ?? -1;
    if (placed !== undefined || (!isUnique && (theirsToKept[index] ?? -1) >= 0)) return;
    const added = isUnique ? present(key) : (theirsToBase[index] ?? -1) < 0;
    if (!added) return;
    const list = anchored.get(anchor) ?? [];
    list.push({ side: 'theirs', index, origin: 'theirs' }, ...(followers.get(key) ?? []));
    anchored.set(anchor, list);
  });
  return anchored;
}

/** Emits kept units, each group of theirs' additions after its anchor and after ours' additions there. */
function interleave(kept: readonly MergedUnit[], anchored: Map<number, MergedUnit[]>): MergedUnit[] {
  const merged: MergedUnit[] = [];
  let pending = [...(anchored.get(-1) ?? [])];
  kept.forEach((unit, i) => {
    if (unit.origin !== 'ours' && pending.length > 0) {
      merged.push(...pending);
      pending = [];
    }
    merged.push(unit);
    pending.push(...(anchored.get(i) ?? []));
  });
  merged.push(...pending);
  return merged;
}
