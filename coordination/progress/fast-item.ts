/**
 * The fast path of the PROGRESS.md parser: reads the block structure of one plain task item — a
 * head `- [ ] id: Title` at column 0 and nested `  - key: value` items, no blank line inside, no
 * tabs — with a few regular expressions instead of remark. Anything else returns undefined and
 * goes to remark, so the two always agree (test/coordination/progress-blocks.test.ts checks it).
 */
import type { BlockItem, LineRange } from "./block-types.js";

const HEAD = /^[-*+] \[([ xX])\] +\S/;
const CHILD = /^( {2,3})[-*+]( +)\S/;
const THEMATIC_BREAK = /^ *([-*_])(?: *\1){2,} *$/;
const TASK_LIKE = /[-*+]\s+\[/;

/**
 * The item starting at `lines[start]` and ending before `end`, or undefined when the lines are not
 * plain enough for this path. Trailing blank lines are allowed (they close the item).
 */
export function scanPlainItem(
  lines: readonly string[],
  start: number,
  end: number,
): BlockItem | undefined {
  const head = HEAD.exec(lines[start] ?? "");
  if (!head || hasTab(lines, start, end)) return undefined;
  let last = end - 1;
  while (last > start && isBlank(lines[last] ?? "")) last -= 1;
  const children: LineRange[] = [];
  let childOffset = -1;
  for (let index = start + 1; index <= last; index += 1) {
    const line = lines[index] ?? "";
    if (isBlank(line)) return undefined;
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    // Inside a nested item: any line indented to its text continues it, whatever it holds.
    if (childOffset >= 0 && indent >= childOffset) {
      if (TASK_LIKE.test(line)) return undefined;
      const current = children.at(-1);
      if (current !== undefined) current.endLine = index + 1;
      continue;
    }
    const child = CHILD.exec(line);
    if (!child || THEMATIC_BREAK.test(line) || TASK_LIKE.test(line))
      return undefined;
    const spaces = child[2]?.length ?? 1;
    if (spaces > 4) return undefined;
    childOffset = (child[1]?.length ?? 2) + 1 + spaces;
    children.push({ line: index + 1, endLine: index + 1 });
  }
  return {
    kind: "item",
    line: start + 1,
    endLine: last + 1,
    checked: head[1] !== " ",
    children,
  };
}

/** Blank in CommonMark's sense: spaces only (tabs never reach this path). */
function isBlank(line: string): boolean {
  return /^ *$/.test(line);
}

function hasTab(lines: readonly string[], start: number, end: number): boolean {
  for (let index = start; index < end; index += 1)
    if ((lines[index] ?? "").includes("\t")) return true;
  return false;
}
