import { describe, expect, it } from "vitest";
import { mergeProgress } from "../../coordination/progress/merge.js";
import { matchSequences } from "../../coordination/progress/sequence-diff.js";
import { parseProgress } from "../../coordination/progress/parse.js";

const BASE = `# Progress

Prose a human wrote.

## Tasks

- [ ] a: Alpha
- [ ] b: Beta
  - note: first
- [ ] c: Gamma
- [ ] d: Delta
`;

/** Replaces exactly one occurrence, so a typo in a test edit fails loudly instead of doing nothing. */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from).length, `'${from}' occurs once`).toBe(2);
  return text.replace(from, to);
}

function merged(base: string, ours: string, theirs: string): string {
  const result = mergeProgress(base, ours, theirs);
  if (!result.ok) throw new Error(result.reason);
  return result.text;
}

describe("mergeProgress: byte fidelity", () => {
  it("returns the changed side exactly when the other equals base, whatever its bytes", () => {
    const weird =
      BASE.replace(/\n/g, "\r\n").replace("Prose", "Prose\t ") +
      "\n\n  trailing";
    expect(merged(BASE, BASE, weird)).toBe(weird);
    expect(merged(BASE, weird, BASE)).toBe(weird);
    expect(merged(BASE, weird, weird)).toBe(weird);
  });

  it("keeps CRLF line endings through a real merge", () => {
    const base = BASE.replace(/\n/g, "\r\n");
    const ours = edit(base, "- [ ] a:", "- [x] a:");
    const theirs = edit(
      base,
      "- [ ] d: Delta\r\n",
      "- [ ] d: Delta\r\n- [ ] e: Epsilon\r\n",
    );
    expect(merged(base, ours, theirs)).toBe(
      edit(
        ours,
        "- [ ] d: Delta\r\n",
        "- [ ] d: Delta\r\n- [ ] e: Epsilon\r\n",
      ),
    );
  });
});

describe("mergeProgress: one task", () => {
  it("combines a check-off and a note on different tasks", () => {
    const ours = edit(BASE, "- [ ] a:", "- [x] a:");
    const theirs = edit(
      BASE,
      "- [ ] c: Gamma\n",
      "- [ ] c: Gamma\n  - note: tried X\n",
    );
    expect(merged(BASE, ours, theirs)).toBe(
      edit(ours, "- [ ] c: Gamma\n", "- [ ] c: Gamma\n  - note: tried X\n"),
    );
  });

  it("combines a check-off and a retitle of the same task", () => {
    const ours = edit(BASE, "- [ ] b: Beta", "- [x] b: Beta");
    const theirs = edit(BASE, "- [ ] b: Beta", "- [ ] b: Beta, better");
    expect(merged(BASE, ours, theirs)).toBe(
      edit(BASE, "- [ ] b: Beta", "- [x] b: Beta, better"),
    );
    expect(merged(BASE, theirs, ours)).toBe(
      edit(BASE, "- [ ] b: Beta", "- [x] b: Beta, better"),
    );
  });

  it("done wins when both changed the checkbox; a reopen by one side alone wins", () => {
    const done = edit(BASE, "- [ ] b:", "- [x] b:");
    expect(merged(BASE, done, edit(BASE, "- [ ] b:", "- [X] b:"))).toBe(done);
    expect(merged(done, BASE, edit(done, "- [ ] a:", "- [x] a:"))).toBe(
      edit(BASE, "- [ ] a:", "- [x] a:"),
    );
  });

  it("done wins over blocked: a check-off and a block of the same task leave it done, reason kept", () => {
    const done = edit(BASE, "- [ ] c:", "- [x] c:");
    const blocked = edit(
      BASE,
      "- [ ] c: Gamma\n",
      "- [ ] c: Gamma\n  - blocked: three failed attempts\n",
    );
    const expected = edit(
      BASE,
      "- [ ] c: Gamma\n",
      "- [x] c: Gamma\n  - blocked: three failed attempts\n",
    );
    expect(merged(BASE, done, blocked)).toBe(expected);
    expect(merged(BASE, blocked, done)).toBe(expected);
    expect(
      parseProgress(expected).tasks.find((t) => t.id === "c")?.status,
    ).toBe("done");
  });

  it("keeps ours title and records theirs as a note when both retitled", () => {
    const ours = edit(BASE, "b: Beta", "b: Beta (ours)");
    const theirs = edit(BASE, "b: Beta", "b: Beta (theirs)");
    expect(merged(BASE, ours, theirs)).toBe(
      edit(
        ours,
        "  - note: first\n",
        "  - note: first\n  - note: (merge) other title: Beta (theirs)\n",
      ),
    );
  });

  it("unions notes: ours then theirs, identical additions once, one-sided deletions applied", () => {
    const ours = edit(
      BASE,
      "  - note: first\n",
      "  - note: first\n  - note: from ours\n  - note: same\n",
    );
    const theirs = edit(
      BASE,
      "  - note: first\n",
      "  - note: from theirs\n  - note: same\n",
    );
    expect(merged(BASE, ours, theirs)).toBe(
      edit(
        BASE,
        "  - note: first\n",
        "  - note: from ours\n  - note: same\n  - note: from theirs\n",
      ),
    );
  });

  it("keeps both reasons when both sides blocked a task differently", () => {
    const ours = edit(
      BASE,
      "- [ ] c: Gamma\n",
      "- [ ] c: Gamma\n  - blocked: no GPU\n",
    );
    const theirs = edit(
      BASE,
      "- [ ] c: Gamma\n",
      "- [ ] c: Gamma\n  - blocked: tests hang\n",
    );
    expect(merged(BASE, ours, theirs)).toBe(
      edit(
        BASE,
        "- [ ] c: Gamma\n",
        "- [ ] c: Gamma\n  - blocked: no GPU\n  - note: (merge) other blocked: tests hang\n",
      ),
    );
  });
});

describe("mergeProgress: tasks added, deleted, moved", () => {
  it("deletes a task deleted on one side and unchanged on the other", () => {
    const ours = edit(BASE, "- [ ] c: Gamma\n", "");
    const theirs = edit(BASE, "- [ ] a:", "- [x] a:");
    expect(merged(BASE, ours, theirs)).toBe(
      edit(theirs, "- [ ] c: Gamma\n", ""),
    );
  });

  it("keeps a task deleted on one side and modified on the other, in its place", () => {
    const ours = edit(BASE, "- [ ] b: Beta\n  - note: first\n", "");
    const theirs = edit(BASE, "- [ ] b:", "- [x] b:");
    expect(merged(BASE, ours, theirs)).toBe(theirs);
    expect(merged(BASE, theirs, ours)).toBe(theirs);
  });

  it("places tasks both sides added at the same spot after all of ours; one id added twice merges", () => {
    const ours = edit(
      BASE,
      "- [ ] d: Delta\n",
      "- [ ] d: Delta\n- [ ] x: X\n- [ ] same: Same\n  - note: o\n",
    );
    const theirs = edit(
      BASE,
      "- [ ] d: Delta\n",
      "- [ ] d: Delta\n- [ ] y: Y\n- [ ] same: Same\n  - note: t\n",
    );
    expect(merged(BASE, ours, theirs)).toBe(
      edit(
        BASE,
        "- [ ] d: Delta\n",
        "- [ ] d: Delta\n- [ ] x: X\n- [ ] same: Same\n  - note: o\n  - note: t\n- [ ] y: Y\n",
      ),
    );
  });

  it("takes one side's reorder while the other edits the moved task", () => {
    const moved = edit(
      edit(BASE, "- [ ] d: Delta\n", ""),
      "- [ ] a: Alpha\n",
      "- [ ] d: Delta\n- [ ] a: Alpha\n",
    );
    const noted = edit(
      BASE,
      "- [ ] d: Delta\n",
      "- [x] d: Delta\n  - note: done by agent\n",
    );
    const expected = edit(
      moved,
      "- [ ] d: Delta\n",
      "- [x] d: Delta\n  - note: done by agent\n",
    );
    expect(merged(BASE, moved, noted)).toBe(expected);
    expect(merged(BASE, noted, moved)).toBe(expected);
  });

  it("moves a task moved by both to where ours put it", () => {
    const top = edit(
      edit(BASE, "- [ ] c: Gamma\n", ""),
      "- [ ] a: Alpha\n",
      "- [ ] c: Gamma\n- [ ] a: Alpha\n",
    );
    const bottom = edit(
      edit(BASE, "- [ ] c: Gamma\n", ""),
      "- [ ] d: Delta\n",
      "- [ ] d: Delta\n- [ ] c: Gamma\n",
    );
    expect(merged(BASE, top, bottom)).toBe(top);
    expect(merged(BASE, bottom, top)).toBe(bottom);
  });

  it("puts a task added after a task the other side moved right after that task, either way round", () => {
    const moved = edit(
      edit(BASE, "- [ ] c: Gamma\n", ""),
      "- [ ] a: Alpha\n",
      "- [ ] c: Gamma\n- [ ] a: Alpha\n",
    );
    const added = edit(
      BASE,
      "- [ ] c: Gamma\n",
      "- [ ] c: Gamma\n- [ ] x: After c\n",
    );
    const expected = edit(
      moved,
      "- [ ] c: Gamma\n",
      "- [ ] c: Gamma\n- [ ] x: After c\n",
    );
    expect(merged(BASE, moved, added)).toBe(expected);
    expect(merged(BASE, added, moved)).toBe(expected);
  });

  it("moves a task across sections, and deletes a moved task the other side deleted", () => {
    const base = BASE + "\n## Later\n\n- [ ] e: Epsilon\n";
    const moved = edit(
      edit(base, "- [ ] a: Alpha\n", ""),
      "- [ ] e: Epsilon\n",
      "- [ ] e: Epsilon\n- [ ] a: Alpha\n",
    );
    const deleted = edit(base, "- [ ] a: Alpha\n", "");
    expect(merged(base, moved, edit(base, "- [ ] b:", "- [x] b:"))).toBe(
      edit(moved, "- [ ] b:", "- [x] b:"),
    );
    expect(merged(base, moved, deleted)).toBe(deleted);
  });
});

describe("mergeProgress: sections", () => {
  it("keeps a task appended to a section in it when the other side adds a section after it", () => {
    const base = "## Tasks\n\n- [ ] a: A\n";
    const section = base + "\n## Ideas\n\n- [ ] idea: I\n";
    const appended = base + "- [ ] b: B\n";
    const expected =
      "## Tasks\n\n- [ ] a: A\n- [ ] b: B\n\n## Ideas\n\n- [ ] idea: I\n";
    expect(merged(base, section, appended)).toBe(expected);
    expect(merged(base, appended, section)).toBe(expected);
    expect(parseProgress(expected).tasks.map((t) => [t.id, t.section])).toEqual(
      [
        ["a", "Tasks"],
        ["b", "Tasks"],
        ["idea", "Ideas"],
      ],
    );
  });
});

describe("mergeProgress: add/add (both sides created the file)", () => {
  it("merges against an empty base: shared lines once, tasks of both, one id merged", () => {
    const template = "# Progress\n\nIntro.\n\n## Tasks\n\n";
    const ours = template + "- [ ] a: A\n- [ ] same: S\n";
    const theirs = template + "- [ ] b: B\n- [ ] same: S\n  - note: t\n";
    expect(merged("", ours, theirs)).toBe(
      template + "- [ ] a: A\n- [ ] same: S\n  - note: t\n- [ ] b: B\n",
    );
  });
});

describe("mergeProgress: prose", () => {
  it("keeps both rewrites of the same paragraph, ours first, and applies one-sided prose edits", () => {
    const ours = edit(
      edit(BASE, "Prose a human wrote.", "Ours rewrote this."),
      "- [ ] a:",
      "- [x] a:",
    );
    const theirs = edit(
      edit(BASE, "Prose a human wrote.", "Theirs rewrote this."),
      "# Progress",
      "# Progress!",
    );
    expect(merged(BASE, ours, theirs)).toBe(
      edit(
        edit(
          ours,
          "Ours rewrote this.",
          "Ours rewrote this.\nTheirs rewrote this.",
        ),
        "# Progress",
        "# Progress!",
      ),
    );
  });
});

describe("mergeProgress: broken inputs", () => {
  it("refuses, naming the side and line, when a version cannot be read as tasks", () => {
    const dup = edit(BASE, "- [ ] d: Delta", "- [ ] a: Again");
    expect(
      mergeProgress(BASE, dup, edit(BASE, "- [ ] b:", "- [x] b:")),
    ).toEqual({
      ok: false,
      reason: "ours: line 11: duplicate task id 'a' (first on line 7)",
    });
    const bad = edit(BASE, "- [ ] c: Gamma", "- [ ] no title");
    const result = mergeProgress(BASE, edit(BASE, "- [ ] b:", "- [x] b:"), bad);
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^theirs: line 10: a task item must read/),
    });
    const markers = edit(
      BASE,
      "- [ ] c: Gamma\n",
      "<<<<<<< HEAD\n- [ ] c: Gamma\n=======\n>>>>>>> b\n",
    );
    expect(
      mergeProgress(BASE, markers, edit(BASE, "- [ ] b:", "- [x] b:")),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining(
        "ours: line 10: unresolved conflict marker '<<<<<<<'",
      ),
    });
  });
});

describe("matchSequences", () => {
  it("pairs a longest common subsequence", () => {
    const a = ["x", "a", "b", "c", "y", "d"];
    const b = ["a", "z", "b", "d", "c"];
    const m = Array.from(matchSequences(a, b));
    expect(m.filter((j) => j >= 0)).toHaveLength(3);
    expect(m.filter((j) => j >= 0)).toEqual(
      [...m.filter((j) => j >= 0)].sort((p, q) => p - q),
    );
    m.forEach((j, i) => j >= 0 && expect(b[j]).toBe(a[i]));
  });
});
