/**
 * The block structure of PROGRESS.md that the task parser needs — top-level list items with their
 * checkbox and nested items, headings, top-level paragraphs — in time linear in the file.
 *
 * Why not one remark call: micromark re-splices its whole event list each time a list item
 * closes, so one long task list costs O(items²) (25 s at 4,000 tasks). The file is cut instead at
 * lines that start a top-level list item whatever came before (a non-empty bullet at column 0, or
 * a numbered item after a blank line). Only a fenced code or HTML block left open can carry a
 * column-0 line, and such a block is then the last node of its piece: the piece is extended to
 * the next cut and parsed again. Plain task items skip remark (progress-fast-item.ts); the rest
 * goes to remark in pieces of about GROUP_LINES lines.
 */
import { remark } from "remark";
import remarkGfm from "remark-gfm";
import type { ListItem, Node, Parent, Root, RootContent } from "mdast";
import type { BlockItem, LineRange } from "./block-types.js";
import { scanPlainItem } from "./fast-item.js";

/** A block of PROGRESS.md that the task parser reads, in document order. */
export type Block =
  | BlockItem
  | { kind: "heading"; line: number }
  | ({ kind: "paragraph" } & LineRange);

/** A checkbox item that is not a top-level item: inside a quote, or nested in another item. */
export interface StrayTask {
  line: number;
  where: "blockquote" | "nested";
}

/** The blocks of a document and the task items found where tasks cannot be. */
export interface ProgressBlocks {
  blocks: Block[];
  strays: StrayTask[];
}

const parser = remark().use(remarkGfm);
const GROUP_LINES = 256;
const BULLET_START = /^[-*+][ \t]+\S/;
const NUMBER_START = /^\d{1,9}[.)][ \t]+\S/;
const THEMATIC_BREAK = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * Scans `lines` (no line terminators; lone CRs already blanked by the caller). `whole: true` parses
 * the document in one remark call: the slow reference the pieces are tested against.
 */
export function scanProgressBlocks(
  lines: readonly string[],
  options: { whole?: boolean } = {},
): ProgressBlocks {
  const result: ProgressBlocks = { blocks: [], strays: [] };
  if (options.whole === true) {
    parseGroup(lines, 0, lines.length, true, result);
    return clampRanges(result);
  }
  const cuts = findCuts(lines);
  // `open`: the last parse ended inside a code or HTML block; retry only once the group doubled.
  let group: { start: number; end: number; open: boolean } | undefined;
  const flush = (atEnd: boolean): boolean => {
    if (group === undefined) return true;
    group.open = !parseGroup(lines, group.start, group.end, atEnd, result);
    if (group.open) return false;
    group = undefined;
    return true;
  };
  let flushAt = GROUP_LINES;
  for (let k = 0; k < cuts.length; k += 1) {
    const start = cuts[k] ?? 0;
    const end = cuts[k + 1] ?? lines.length;
    const item =
      group?.open === true ? undefined : scanPlainItem(lines, start, end);
    if (item !== undefined && flush(false)) {
      result.blocks.push(item);
      continue;
    }
    if (group === undefined) {
      group = { start, end, open: false };
      flushAt = GROUP_LINES;
    }
    group.end = end;
    if (group.end - group.start >= flushAt && !flush(false))
      flushAt = 2 * (group.end - group.start);
  }
  flush(true);
  return clampRanges(result);
}

/**
 * remark ends an item whose fenced code the next line closes *at* that line (column 1), so its
 * range would overlap the next item's head; a block ends before the next one starts.
 */
function clampRanges(result: ProgressBlocks): ProgressBlocks {
  const { blocks } = result;
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (block.kind === "heading") return;
    if (next !== undefined && next.line <= block.endLine)
      block.endLine = Math.max(block.line, next.line - 1);
    if (block.kind !== "item") return;
    block.children.forEach((child, j) => {
      const limit = (block.children[j + 1]?.line ?? block.endLine + 1) - 1;
      child.endLine = Math.max(child.line, Math.min(child.endLine, limit));
    });
  });
  return result;
}

/** Line indexes where a piece may start: 0 and every line that surely opens a top-level item. */
function findCuts(lines: readonly string[]): number[] {
  const cuts = [0];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    const bullet = BULLET_START.test(line) && !THEMATIC_BREAK.test(line);
    // A numbered item other than 1 does not interrupt a paragraph: only after a blank line.
    const numbered =
      NUMBER_START.test(line) && /^[ \t]*$/.test(lines[index - 1] ?? "");
    if (bullet || numbered) cuts.push(index);
  }
  return cuts;
}

/** Parses lines [start, end) with remark; false when a code or HTML block may run past `end`. */
function parseGroup(
  lines: readonly string[],
  start: number,
  end: number,
  atEnd: boolean,
  result: ProgressBlocks,
): boolean {
  const root = parser.parse(lines.slice(start, end).join("\n")) as Root;
  const last = root.children.at(-1);
  if (!atEnd && (last?.type === "code" || last?.type === "html")) return false;
  const at = (node: Node) => (node.position?.start.line ?? 1) + start;
  const endAt = (node: Node) => (node.position?.end.line ?? 1) + start;
  for (const node of root.children) {
    if (node.type === "heading")
      result.blocks.push({ kind: "heading", line: at(node) });
    else if (node.type === "paragraph")
      result.blocks.push({
        kind: "paragraph",
        line: at(node),
        endLine: endAt(node),
      });
    else if (node.type === "list") {
      for (const item of node.children) {
        result.blocks.push(topItem(item, at, endAt));
        findStrays(item, false, at, result.strays);
      }
      continue;
    }
    findStrays(node, node.type === "blockquote", at, result.strays);
  }
  return true;
}

function topItem(
  item: ListItem,
  at: (node: Node) => number,
  endAt: (node: Node) => number,
): BlockItem {
  const children: LineRange[] = [];
  for (const child of item.children)
    if (child.type === "list")
      for (const nested of child.children)
        children.push({ line: at(nested), endLine: endAt(nested) });
  return {
    kind: "item",
    line: at(item),
    endLine: endAt(item),
    checked: item.checked ?? null,
    children,
  };
}

/** Checkbox items below `node` (not `node` itself): nested tasks, or tasks in a quote. */
function findStrays(
  node: RootContent | ListItem,
  inQuote: boolean,
  at: (node: Node) => number,
  strays: StrayTask[],
): void {
  if (!("children" in node)) return;
  for (const child of (node as Parent).children) {
    const quoted = inQuote || child.type === "blockquote";
    if (
      child.type === "listItem" &&
      child.checked !== null &&
      child.checked !== undefined
    )
      strays.push({ line: at(child), where: quoted ? "blockquote" : "nested" });
    findStrays(child, quoted, at, strays);
  }
}
