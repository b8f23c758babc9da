/**
 * The shapes of PROGRESS.md's blocks shared by the block scanner (blocks.ts) and its fast path
 * (fast-item.ts): a module below both, so neither imports the other's types.
 */

/** Lines of a block, 1-based and inclusive. */
export interface LineRange {
  line: number;
  endLine: number;
}

/** A top-level list item; `checked` is null for a plain bullet, else its task checkbox. */
export interface BlockItem extends LineRange {
  kind: "item";
  checked: boolean | null;
  /** The items of its nested lists (not deeper), where metadata lives. */
  children: LineRange[];
}
