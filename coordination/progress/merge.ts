/**
 * The structural three-way merge of PROGRESS.md behind gitswarm's git merge driver. Pure: three
 * texts in, one text out. It never produces conflict markers for files that parse, and never
 * drops text either side wrote.
 *
 * Model. A document is a sequence of units: each task block (head line plus nested lines) is one
 * unit keyed by its id; every other line (prose, headings, blank lines) is a unit of its own.
 * Task contents merge per task; the sequence merges with tasks as movable, unique tokens.
 *
 * Sides. "Ours" is git's %A, "theirs" %B. In `git merge` ours is the branch checked out; in
 * `git rebase` ours is the upstream being rebased onto and theirs the commit being replayed. The
 * rules below only prefer a side in true ties, and then keep the other side's text too.
 *
 * Rules, in order:
 * 1. If one side equals base the result is exactly the other side, byte for byte; likewise when
 *    both sides are equal.
 * 2. Presence of a task: deleted on one side and unchanged on the other → deleted; deleted on one
 *    side and modified on the other → kept, modified; added on either side → kept; added on both
 *    with the same id → one task, contents merged as below with an empty base.
 * 3. Checkbox: a side that changed it from base wins; if both changed it differently, done wins.
 *    A `blocked:` line is a nested line (rule 5), and done wins over blocked by the parser's rule.
 * 4. Head text (id, title, emphasis): a side that changed it wins; if both changed it
 *    differently, ours' head stays and theirs' title is appended as `note: (merge) other title: …`.
 * 5. Nested lines (metadata, notes): a line deleted by one side and kept by the other is deleted;
 *    additions of both sides are kept (ours' before theirs' at the same spot); an identical line
 *    added by both appears once. If both set a scalar key (`run`, `gpu`, `blocked`) to different
 *    values, ours' line stays and theirs' becomes `note: (merge) other <key>: …`.
 * 6. Order: a task moved by one side goes where that side put it; moved by both, where ours put
 *    it. A task one side added (or kept against the other's deletion) goes after its predecessor
 *    on that side, found by id, so it follows its neighbour even when the other side moved that
 *    neighbour. Where both sides added at the same spot, ours' additions come first — but never
 *    past a heading ours added: theirs' task stays in the section theirs put it in.
 * 7. Prose, headings and blank lines: a line deleted by one side is deleted; added lines are kept
 *    at their place; where both sides rewrote the same region, ours' lines come first, then
 *    theirs' — both kept, no markers. An identical line both added appears once.
 * 8. Line endings: the side that changed them from base decides (ours first); a mixed-ending file
 *    comes back with one ending when both sides changed it.
 * The merge fails (`ok: false`) only when a side cannot be read as tasks: an item that looks like
 * a task without a valid `id: Title`, a duplicate id, or leftover conflict markers. The driver
 * then falls back to git's own line merge, so nothing is lost either way.
 */
import { parseProgress, type ProgressDoc } from "./parse.js";
import { mergeTaskBlock, sameBlock } from "./merge-task.js";
import { mergeSequences } from "./sequence-merge.js";

/** The outcome of a structural merge: the merged text, or why the inputs could not be merged. */
export type ProgressMergeResult =
  { ok: true; text: string } | { ok: false; reason: string };

interface Side {
  name: "base" | "ours" | "theirs";
  doc: ProgressDoc;
  /** Unit keys: `T<id>` for a task block, `L<text>` for any other line. */
  keys: string[];
  blocks: Map<string, string[]>;
}

const CONFLICT_MARKER = /^(?:<{7}|>{7})(?: |$)/;

/** Merges three versions of PROGRESS.md (see the rules above). Never throws for any input text. */
export function mergeProgress(
  base: string,
  ours: string,
  theirs: string,
): ProgressMergeResult {
  if (ours === theirs || base === theirs) return { ok: true, text: ours };
  if (base === ours) return { ok: true, text: theirs };
  const sides = [
    readSide("base", base),
    readSide("ours", ours),
    readSide("theirs", theirs),
  ] as const;
  const problems = sides.flatMap(structuralProblems);
  if (problems.length > 0) return { ok: false, reason: problems.join("; ") };
  const [b, o, t] = sides;
  const merged = new Map<string, string[]>();
  for (const id of new Set([...o.blocks.keys(), ...t.blocks.keys()])) {
    const block = mergeTask(
      b.blocks.get(id),
      o.blocks.get(id),
      t.blocks.get(id),
    );
    if (block !== undefined) merged.set(id, block);
  }
  const isTask = (key: string) => key.startsWith("T");
  const units = mergeSequences(b.keys, o.keys, t.keys, {
    unique: isTask,
    present: (key) => merged.has(key.slice(1)),
    barrier: (key) => /^L {0,3}#{1,6}(?:\s|$)/.test(key),
  });
  const lines = units.flatMap((unit) => {
    const key = (unit.side === "ours" ? o : t).keys[unit.index] ?? "L";
    return isTask(key) ? (merged.get(key.slice(1)) ?? []) : [key.slice(1)];
  });
  const eol = o.doc.eol !== b.doc.eol ? o.doc.eol : t.doc.eol;
  return { ok: true, text: lines.join(eol) };
}

/** Rule 2, then the block merge; undefined means the task is gone from the result. */
function mergeTask(
  base?: string[],
  ours?: string[],
  theirs?: string[],
): string[] | undefined {
  if (base !== undefined && (ours === undefined || theirs === undefined)) {
    const survivor = ours ?? theirs;
    if (survivor === undefined || sameBlock(base, survivor)) return undefined;
  }
  return mergeTaskBlock(base, ours, theirs);
}

function readSide(name: Side["name"], text: string): Side {
  const doc = parseProgress(text, name);
  const keys: string[] = [];
  const blocks = new Map<string, string[]>();
  const starts = new Map(doc.tasks.map((task) => [task.line, task]));
  for (let line = 1; line <= doc.lines.length; line += 1) {
    const task = starts.get(line);
    if (task === undefined) {
      keys.push(`L${doc.lines[line - 1] ?? ""}`);
      continue;
    }
    keys.push(`T${task.id}`);
    if (!blocks.has(task.id))
      blocks.set(task.id, doc.lines.slice(task.line - 1, task.endLine));
    line = task.endLine;
  }
  return { name, doc, keys, blocks };
}

/** What makes a side unreadable as tasks, as `side: line N: problem` strings. */
function structuralProblems(side: Side): string[] {
  const { doc, name } = side;
  const insideTask = (line: number) =>
    doc.tasks.some((task) => line > task.line && line <= task.endLine);
  const problems = doc.problems
    .filter((p) => !insideTask(p.line))
    .map((p) => `${name}: line ${p.line}: ${p.message}`);
  const seen = new Map<string, number>();
  for (const task of doc.tasks) {
    const first = seen.get(task.id);
    if (first === undefined) seen.set(task.id, task.line);
    else
      problems.push(
        `${name}: line ${task.line}: duplicate task id '${task.id}' (first on line ${first})`,
      );
  }
  doc.lines.forEach((line, i) => {
    if (CONFLICT_MARKER.test(line))
      problems.push(
        `${name}: line ${i + 1}: unresolved conflict marker '${line.slice(0, 7)}'`,
      );
  });
  return problems;
}
