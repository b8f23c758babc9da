/**
 * Three-way merge of one task's block (its head line and nested lines) in PROGRESS.md. Fields a
 * single side changed take that side's value; fields both changed follow rules that keep every
 * piece of text (see progress-merge.ts for the full list).
 */
import { mergeSequences } from "./sequence-merge.js";

/** A task block as source lines (no terminators): the head line, then its nested lines. */
export type TaskBlock = readonly string[];

// `s`: a lone CR (or U+2028) is text inside a line, and `.` must match it too.
const HEAD = /^(\s*(?:[-*+]|\d+[.)])\s+\[)([ xX])(\]\s*(.*))$/s;
const SCALAR_KEYS = [
  "run",
  "gpu",
  "gpu-mem",
  "time-limit",
  "accept",
  "artifacts",
  "result",
  "blocked",
];
const SCALAR =
  /^(\s*(?:[-*+]|\d+[.)])\s+)(run|gpu-mem|gpu|time-limit|accept|artifacts|result|blocked)\s*:\s*(.*)$/is;
const MARKER = /^(\s*(?:[-*+]|\d+[.)])\s+)/;

/**
 * Merges one task present in ours and/or theirs. `base` is undefined when the task is new on both
 * sides. A side that lacks the task (deleted it) yields the other side's block unchanged.
 */
export function mergeTaskBlock(
  base: TaskBlock | undefined,
  ours?: TaskBlock,
  theirs?: TaskBlock,
): string[] {
  if (ours === undefined || theirs === undefined)
    return [...(ours ?? theirs ?? [])];
  if (
    sameBlock(ours, theirs) ||
    (base !== undefined && sameBlock(base, theirs))
  )
    return [...ours];
  if (base !== undefined && sameBlock(base, ours)) return [...theirs];
  const head = mergeHead(base?.[0], ours[0] ?? "", theirs[0] ?? "");
  const nested = mergeNested(
    base?.slice(1) ?? [],
    ours.slice(1),
    theirs.slice(1),
  );
  if (head.otherTitle !== undefined)
    nested.push(
      `${childIndent(head.line)}- note: (merge) other title: ${head.otherTitle}`,
    );
  return [head.line, ...nested];
}

/** Whether two blocks hold the same lines. */
export function sameBlock(a: TaskBlock, b: TaskBlock): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

interface MergedHead {
  line: string;
  /** Theirs' title when both sides retitled the task differently (ours' title stays). */
  otherTitle?: string;
}

/** Checkbox and heading text merge separately, so a check-off and a retitle combine. */
function mergeHead(
  base: string | undefined,
  ours: string,
  theirs: string,
): MergedHead {
  const b = base === undefined ? undefined : HEAD.exec(base);
  const o = HEAD.exec(ours);
  const t = HEAD.exec(theirs);
  if (!o || !t) return { line: ours };
  const frame = (m: RegExpExecArray) => `${m[1]}\u0000${m[3]}`;
  const oursMark = o[2] ?? " ";
  const theirsMark = t[2] ?? " ";
  const mark =
    pick(b?.[2], oursMark, theirsMark) ??
    (oursMark !== " " ? oursMark : theirsMark);
  const framePicked = pick(b ? frame(b) : undefined, frame(o), frame(t));
  const line = (framePicked ?? frame(o)).replace("\u0000", mark);
  if (framePicked !== undefined) return { line };
  return { line, otherTitle: (t[4] ?? "").replace(/^\S+?\s*:\s*/s, "") };
}

/** The value a three-way pick settles on, or undefined when both sides changed it differently. */
function pick(
  base: string | undefined,
  ours: string,
  theirs: string,
): string | undefined {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  return undefined;
}

/**
 * Nested lines merge as a sequence (notes are a union; deletions by one side apply). A scalar key
 * (`run`, `blocked`, a job key such as `gpu` or `result`) both sides set differently keeps ours' line and turns theirs' into a
 * `note: (merge) other <key>: …` line, so the task stays well-formed and nothing is lost.
 */
function mergeNested(
  base: readonly string[],
  ours: readonly string[],
  theirs: readonly string[],
): string[] {
  const units = mergeSequences(base, ours, theirs);
  const lines = units.map(
    (u) => (u.side === "ours" ? ours[u.index] : theirs[u.index]) ?? "",
  );
  const scalarKey = (line: string) => SCALAR.exec(line)?.[2]?.toLowerCase();
  const count = (from: readonly string[], key: string) =>
    from.filter((l) => scalarKey(l) === key).length;
  for (const key of SCALAR_KEYS) {
    let extra =
      count(lines, key) - Math.max(count(ours, key), count(theirs, key));
    for (let i = lines.length - 1; i >= 0 && extra > 0; i -= 1) {
      if (units[i]?.origin !== "theirs" || scalarKey(lines[i] ?? "") !== key)
        continue;
      lines[i] = (lines[i] ?? "").replace(
        SCALAR,
        (_all, bullet: string, k: string, value: string) => {
          return `${bullet}note: (merge) other ${k.toLowerCase()}: ${value}`;
        },
      );
      extra -= 1;
    }
  }
  return lines;
}

/** Nested items must start where the task's text starts (after `- `) to belong to it. */
function childIndent(head: string): string {
  return " ".repeat(MARKER.exec(head)?.[1]?.length ?? 2);
}
