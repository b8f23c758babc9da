/**
 * The merge driver returns bytes exactly: Latin-1 prose, lone CRs and arbitrary NUL-free bytes in
 * prose and notes survive a real `git merge` (and a rebase) byte for byte, while the tasks still
 * merge structurally. Strings here are latin1: one char per byte, so `toBe` compares bytes.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  MergeRepo,
  addAfter,
  apply,
  checkOff,
  note,
} from "./progress-merge-fixture.js";

const repos: MergeRepo[] = [];
afterAll(() => Promise.all(repos.map((repo) => repo.dispose())));

/** mulberry32: a tiny deterministic PRNG, so a failure reproduces. */
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

/** `length` random bytes other than NUL and LF, as a latin1 string. */
function noise(next: () => number, length: number): string {
  return Array.from({ length }, () => {
    const byte = 1 + Math.floor(next() * 254);
    return String.fromCharCode(byte === 0x0a ? 0x0b : byte);
  }).join("");
}

function baseText(prose: string[], notes: string[]): string {
  return [
    "# Progress",
    "",
    `Text: ${prose[0]}`,
    `Text: ${prose[1]}`,
    "",
    "## Tasks",
    "",
    "- [ ] lexer: Tokenise SQL",
    `  - note: ${notes[0]}`,
    "- [ ] parser: Parse SQL",
    "  - needs: lexer",
    `  - note: ${notes[1]}`,
    "- [ ] docs: Write the docs",
    "",
  ].join("\n");
}

// A check-off on one side, a new task with odd bytes and a note on the other: the case.
const oursEdit = (text: string) => apply(text, checkOff("lexer"));
const theirsEdit = (tail: string) => (text: string) =>
  apply(
    text,
    addAfter("docs", `- [ ] repl: Interactive shell ${tail}`),
    note("parser", `more ${tail}`),
  );

describe("the merge driver round-trips bytes", () => {
  it("keeps Latin-1 café, a lone CR and control bytes exactly, through merge and rebase", async () => {
    const base = baseText(
      ["caf\xe9 cr\xe8me \xa0nbsp", "one\rtwo, \x01\x7f\x80\xff end"],
      [
        "na\xefve \xe9t\xe9 \xb5",
        "UTF-8 caf\xc3\xa9 \u00e2\u0080\u00a8 then \r lone CR",
      ],
    );
    const ours = oursEdit(base);
    const theirs = theirsEdit("\xe9\r\xfe")(base);
    const repo = await MergeRepo.create(
      base,
      ours,
      theirs,
      undefined,
      "latin1",
    );
    repos.push(repo);
    const expected = theirsEdit("\xe9\r\xfe")(ours);
    const merged = await repo.merge();
    expect(merged.stderr).toContain("merge-driver");
    expect([merged.ok, merged.text]).toEqual([true, expected]);
    const rebased = await repo.rebase("ours", "theirs");
    expect([rebased.ok, rebased.text]).toEqual([true, expected]);
  });

  it.each([1, 2, 3])(
    "keeps random NUL-free bytes in prose and notes exactly (seed %i)",
    async (seed) => {
      const next = random(seed);
      const base = baseText(
        [noise(next, 40), noise(next, 40)],
        [noise(next, 40), noise(next, 40)],
      );
      const tail = noise(next, 20);
      const ours = oursEdit(base);
      const theirs = theirsEdit(tail)(base);
      const repo = await MergeRepo.create(
        base,
        ours,
        theirs,
        undefined,
        "latin1",
      );
      repos.push(repo);
      const merged = await repo.merge();
      expect([merged.ok, merged.text]).toEqual([true, theirsEdit(tail)(ours)]);
    },
  );
});
