/**
 * The piecewise scan of PROGRESS.md (cut at top-level items, plain items without remark) must see
 * exactly the blocks one remark call over the whole file sees: random documents built from lines
 * that stress the cuts (open fences and HTML, lazy lines, numbered items, quotes, nested items).
 */
import { describe, expect, it } from "vitest";
import { scanProgressBlocks } from "../../coordination/progress/blocks.js";
import { parseProgress } from "../../coordination/progress/parse.js";

/** mulberry32: a tiny deterministic PRNG, so a failure reproduces from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHAPES = [
  "- [ ] t{n}: Task {n}",
  "- [x] t{n}: Done {n}",
  "* [ ] t{n}: Star {n}",
  "+ [X] t{n}: Plus",
  "- [x]  t{n}: Wide",
  "  - needs: t1",
  "  - note: a note",
  "   - note: three spaces",
  "  * star child",
  "  -  two spaces",
  "  -     five spaces",
  "    more text of the note",
  "     five",
  "      - deeper item",
  "  - [ ] nested{n}: Nested",
  "  text at two",
  " one space",
  "",
  "",
  "   ",
  "Prose line.",
  "# Heading {n}",
  "Heading",
  "===",
  "```",
  "~~~",
  "  ```",
  "    ```",
  "<!--",
  "-->",
  "<div>",
  "<script>",
  "</script>",
  "> - [ ] q{n}: Quoted",
  "> quote",
  "1. [ ] o{n}: Ordered",
  "2. [ ] p{n}: Second",
  "1) x",
  "- - -",
  "---",
  "  ---",
  "  - - -",
  "- plain bullet",
  "- [] bad{n}: Box",
  "-\tTabbed",
  "\t- tab child",
  "    indented code",
  "| a | b |",
  "|---|---|",
  "[ref]: /url",
  "[^1]: foot",
  "- ",
  "-",
  "  - [ ]",
  "- [ ]",
  "- [ ]x",
];

function randomDoc(next: () => number): string[] {
  const length = 5 + Math.floor(next() * 60);
  return Array.from({ length }, (_, n) =>
    (SHAPES[Math.floor(next() * SHAPES.length)] ?? "").replace(
      /\{n\}/g,
      String(n),
    ),
  );
}

describe("scanProgressBlocks", () => {
  it("sees the same blocks piecewise as remark over the whole file", () => {
    for (let seed = 1; seed <= 250; seed += 1) {
      const lines = randomDoc(random(seed));
      const context = `seed ${seed}:\n${lines.join("\n")}`;
      expect(scanProgressBlocks(lines), context).toEqual(
        scanProgressBlocks(lines, { whole: true }),
      );
    }
  });

  it("ends an item before the next one even when the next line closes a fence inside it", () => {
    // Numbered items after a non-blank line are one remark piece: remark's own ranges overlap here.
    const doc = parseProgress(
      "1. [ ] a: A\n    ```\n2. [ ] b: B\n   - note: x\n",
    );
    expect(doc.tasks.map((t) => [t.id, t.line, t.endLine])).toEqual([
      ["a", 1, 2],
      ["b", 3, 4],
    ]);
  });

  it("cuts a long list into pieces yet keeps a fence that hides tasks whole", () => {
    const tasks = Array.from({ length: 600 }, (_, i) => `- [ ] t${i}: T`);
    const lines = ["# Tasks", "", "```", ...tasks, "```", ...tasks.slice(0, 3)];
    const doc = parseProgress(lines.join("\n"));
    expect(doc.tasks.map((t) => [t.id, t.line])).toEqual([
      ["t0", 605],
      ["t1", 606],
      ["t2", 607],
    ]);
  });
});
