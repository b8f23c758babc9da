/**
 * A three-way merge of sequences that never conflicts and never drops an addition: the engine
 * under both levels of the PROGRESS.md merge (the document's skeleton of prose lines and task
 * tokens, and the nested lines inside one task).
 *
 * Both sides are aligned to base (a longest common subsequence each), so a base line means the
 * same place on both sides — blank lines included. The result starts from ours (git's %A: the
 * current branch in a merge, the upstream in a rebase), removes what theirs deleted from base,
 * then inserts each of theirs' additions after its predecessor in theirs — after any additions of
 * ours at that same spot, so "ours then theirs" is the tie rule; a line both added in the same gap
 * appears once. Units that are *unique* (task tokens) appear at most once: whether they appear at
 * all is decided by the caller (`present`); a unique unit moved by theirs alone goes where theirs
 * put it (with any unique units ours added right after it), one moved by both where ours put it.
 */
import { invertMatches, matchSequences } from "./sequence-diff.js";

/** Where a merged unit is taken from, and why it is there. */
export interface MergedUnit {
  side: "ours" | "theirs";
  /** Index into that side's sequence. */
  index: number;
  /** `base`: kept from base by ours; `ours`/`theirs`: added (or moved) by that side. */
  origin: "base" | "ours" | "theirs";
}

/** How the caller treats special units; all default to "plain line". */
export interface SequencePolicy {
  /** Units that may occur once at most (task tokens), placed by identity rather than by content. */
  unique?(key: string): boolean;
  /** For unique units: whether the merged document keeps this one at all. */
  present?(key: string): boolean;
  /**
   * Units (headings) that theirs' additions are not pushed past when ours added them: a task
   * theirs appended to a section stays in it even if ours added a new section right after.
   */
  barrier?(key: string): boolean;
}

interface Alignment {
  base: readonly string[];
  ours: readonly string[];
  theirs: readonly string[];
  oursToBase: Int32Array;
  baseToTheirs: Int32Array;
  theirsToBase: Int32Array;
  unique: (key: string) => boolean;
  present: (key: string) => boolean;
}

/** Merges `ours` and `theirs`, both derived from `base`; returns the units of the result in order. */
export function mergeSequences(
  base: readonly string[],
  ours: readonly string[],
  theirs: readonly string[],
  policy: SequencePolicy = {},
): MergedUnit[] {
  const baseToTheirs = matchSequences(base, theirs);
  const a: Alignment = {
    base,
    ours,
    theirs,
    oursToBase: invertMatches(matchSequences(base, ours), ours.length),
    baseToTheirs,
    theirsToBase: invertMatches(baseToTheirs, theirs.length),
    unique: policy.unique ?? (() => false),
    present: policy.present ?? (() => true),
  };
  const { kept, followers } = keepOurs(a);
  const anchored = anchorTheirs(a, kept, followers);
  const barrier = policy.barrier ?? (() => false);
  return interleave(
    kept,
    anchored,
    (unit) => unit.origin !== "ours" || barrier(ours[unit.index] ?? ""),
  );
}

/** Ours minus what theirs deleted (or moved away); new tasks following a task theirs moved wait. */
function keepOurs(a: Alignment): {
  kept: MergedUnit[];
  followers: Map<string, MergedUnit[]>;
} {
  const uniqueInTheirs = new Set(a.theirs.filter(a.unique));
  const uniqueInBase = new Set(a.base.filter(a.unique));
  const kept: MergedUnit[] = [];
  // Tasks ours added right after a task that theirs moved travel with it (rule: a new task follows
  // its predecessor), so the result does not depend on which side git calls ours.
  const followers = new Map<string, MergedUnit[]>();
  let movedByTheirs: string | undefined;
  a.ours.forEach((key, index) => {
    const baseIndex = a.oursToBase[index] ?? -1;
    const deletedByTheirs =
      baseIndex >= 0 && (a.baseToTheirs[baseIndex] ?? -1) < 0;
    const unit: MergedUnit = {
      side: "ours",
      index,
      origin: baseIndex >= 0 ? "base" : "ours",
    };
    if (a.unique(key)) {
      if (!a.present(key)) return;
      if (deletedByTheirs && uniqueInTheirs.has(key)) {
        movedByTheirs = key;
        return;
      }
      if (baseIndex >= 0) movedByTheirs = undefined;
      else if (
        movedByTheirs !== undefined &&
        !uniqueInBase.has(key) &&
        !uniqueInTheirs.has(key)
      ) {
        followers.set(movedByTheirs, [
          ...(followers.get(movedByTheirs) ?? []),
          unit,
        ]);
        return;
      }
    } else if (deletedByTheirs) return;
    kept.push(unit);
  });
  return { kept, followers };
}

/** Groups theirs' additions by the kept unit they follow (-1: the start). */
function anchorTheirs(
  a: Alignment,
  kept: readonly MergedUnit[],
  followers: Map<string, MergedUnit[]>,
): Map<number, MergedUnit[]> {
  const baseToKept = new Map<number, number>();
  const keptUnique = new Map<string, number>();
  kept.forEach((unit, i) => {
    const baseIndex = a.oursToBase[unit.index] ?? -1;
    if (baseIndex >= 0) baseToKept.set(baseIndex, i);
    const key = a.ours[unit.index] ?? "";
    if (a.unique(key)) keptUnique.set(key, i);
  });
  const twins = pairAdditions(a, kept);
  const anchored = new Map<number, MergedUnit[]>();
  let anchor = -1;
  a.theirs.forEach((key, index) => {
    const baseIndex = a.theirsToBase[index] ?? -1;
    // A task's predecessor is found by identity, so an addition follows its task even when ours moved it.
    const placed = a.unique(key)
      ? keptUnique.get(key)
      : baseIndex >= 0
        ? baseToKept.get(baseIndex)
        : twins.get(index);
    if (placed !== undefined) anchor = placed;
    if (
      placed !== undefined ||
      (baseIndex >= 0 && !a.unique(key)) ||
      (a.unique(key) && !a.present(key))
    )
      return;
    const list = anchored.get(anchor) ?? [];
    list.push(
      { side: "theirs", index, origin: "theirs" },
      ...(followers.get(key) ?? []),
    );
    anchored.set(anchor, list);
  });
  return anchored;
}

/**
 * Pairs lines both sides added in the same gap between base lines both kept (theirs index → kept
 * index), so an identical addition (the same note appended by both) appears once.
 */
function pairAdditions(
  a: Alignment,
  kept: readonly MergedUnit[],
): Map<number, number> {
  const keptByOurs = new Set(Array.from(a.oursToBase).filter((b) => b >= 0));
  const stable = (baseIndex: number) =>
    baseIndex >= 0 &&
    keptByOurs.has(baseIndex) &&
    (a.baseToTheirs[baseIndex] ?? -1) >= 0;
  const gaps = new Map<number, { ours: number[]; theirs: number[] }>();
  const gapOf = (baseIndex: number) => {
    let entry = gaps.get(baseIndex);
    if (entry === undefined)
      gaps.set(baseIndex, (entry = { ours: [], theirs: [] }));
    return entry;
  };
  let gap = -1;
  let k = 0;
  a.ours.forEach((key, index) => {
    const baseIndex = a.oursToBase[index] ?? -1;
    if (stable(baseIndex)) gap = baseIndex;
    const keptHere = kept[k]?.index === index ? k++ : -1;
    if (keptHere >= 0 && kept[keptHere]?.origin === "ours" && !a.unique(key))
      gapOf(gap).ours.push(keptHere);
  });
  gap = -1;
  a.theirs.forEach((key, index) => {
    const baseIndex = a.theirsToBase[index] ?? -1;
    if (stable(baseIndex)) gap = baseIndex;
    if (baseIndex < 0 && !a.unique(key)) gapOf(gap).theirs.push(index);
  });
  const twins = new Map<number, number>();
  for (const { ours, theirs } of gaps.values()) {
    const theirsKeys = theirs.map((i) => a.theirs[i] ?? "");
    const oursKeys = ours.map((i) => a.ours[kept[i]?.index ?? -1] ?? "");
    matchSequences(theirsKeys, oursKeys).forEach((j, i) => {
      if (j >= 0) twins.set(theirs[i] ?? -1, ours[j] ?? -1);
    });
  }
  return twins;
}

/** Emits kept units, each group of theirs' additions after its anchor and after ours' additions there. */
function interleave(
  kept: readonly MergedUnit[],
  anchored: Map<number, MergedUnit[]>,
  flushesBefore: (unit: MergedUnit) => boolean,
): MergedUnit[] {
  const merged: MergedUnit[] = [];
  let pending = [...(anchored.get(-1) ?? [])];
  kept.forEach((unit, i) => {
    if (pending.length > 0 && flushesBefore(unit)) {
      merged.push(...pending);
      pending = [];
    }
    merged.push(unit);
    pending.push(...(anchored.get(i) ?? []));
  });
  merged.push(...pending);
  return merged;
}
