/**
 * The edit review, the reopen form and rename detection: pure functions over parsed PROGRESS.md
 * texts, tested with plain data. Each case is a human's save the runner might see mid-run.
 */
import { describe, expect, it } from "vitest";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { reviewEdit } from "../../../coordination/progress/review/edit-review.js";
import {
  findRenamedTask,
  findRenames,
} from "../../../coordination/progress/review/renames.js";
import {
  applyReopens,
  reopenedBlocked,
} from "../../../coordination/progress/review/reopen.js";

const BASE = `# Progress

Prose a human wrote.

## Tasks

- [x] a: Alpha
  - note: landed first
- [ ] b: Beta
  - needs: a
- [ ] c: Gamma
  - tags: gpu
- [ ] d: Delta
- [ ] e: Epsilon
- [ ] f: Zeta
`;

function edit(text: string, from: string, to: string): string {
  expect(text.split(from).length, `'${from}' occurs once`).toBe(2);
  return text.replace(from, to);
}

function review(base: string, theirs: string, hub = base) {
  const result = reviewEdit(
    parseProgress(base),
    parseProgress(theirs),
    parseProgress(hub),
  );
  return {
    hold: result.hold,
    kinds: result.findings.map((f) => f.kind),
    result,
  };
}

describe("reviewEdit", () => {
  it("lets ordinary edits through: a note, a new task, a check-off, one deletion, a retitle", () => {
    expect(
      review(
        BASE,
        edit(BASE, "- [ ] d: Delta\n", "- [ ] d: Delta\n  - note: hi\n"),
      ).hold,
    ).toBe(false);
    expect(review(BASE, `${BASE}- [ ] g: Eta\n`).hold).toBe(false);
    expect(review(BASE, edit(BASE, "- [ ] e:", "- [x] e:")).hold).toBe(false);
    expect(review(BASE, edit(BASE, "- [ ] f: Zeta\n", "")).hold).toBe(false);
    expect(review(BASE, edit(BASE, "c: Gamma", "c: Gamma, faster")).hold).toBe(
      false,
    );
  });

  it("holds a save cut off mid-line, naming how much is left", () => {
    const cut = BASE.slice(0, BASE.indexOf("Epsilon") + 3);
    const { hold, kinds, result } = review(BASE, cut);
    expect(hold).toBe(true);
    expect(kinds).toContain("cut-off");
    expect(result.findings[0]?.message).toMatch(
      /stops mid-line after \d+ of the last version's \d+ bytes/,
    );
  });

  it("holds a save cut to two thirds with no task left (the preamble only)", () => {
    const { hold, kinds } = review(
      BASE,
      BASE.slice(0, BASE.indexOf("## Tasks") + 4),
    );
    expect(hold).toBe(true);
    expect(kinds).toEqual(expect.arrayContaining(["cut-off", "no-tasks"]));
  });

  it("holds an empty file and a file without the Tasks heading", () => {
    expect(review(BASE, "").kinds).toEqual(
      expect.arrayContaining(["cut-off", "no-tasks"]),
    );
    expect(review(BASE, edit(BASE, "## Tasks\n", "")).kinds).toEqual([
      "no-tasks-heading",
    ]);
  });

  it("holds deleting or rewriting many tasks at once, listing them", () => {
    const many = edit(
      edit(BASE, "- [ ] d: Delta\n", ""),
      "- [ ] e: Epsilon\n- [ ] f: Zeta\n",
      "",
    );
    const { hold, result } = review(BASE, many);
    expect(hold).toBe(true);
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: "many-changed", tasks: ["d", "e", "f"] }),
    ]);
    const rewritten = edit(
      edit(edit(BASE, "  - needs: a\n", ""), "  - tags: gpu\n", ""),
      "d: Delta",
      "d: Something else",
    );
    expect(review(BASE, rewritten).result.findings[0]).toMatchObject({
      kind: "many-changed",
      tasks: ["b", "c", "d"],
    });
  });

  it("does not count renames as deletions", () => {
    const renamed = edit(
      edit(edit(BASE, "d: Delta", "d2: Delta"), "e: Epsilon", "e2: Epsilon"),
      "f: Zeta",
      "f2: Zeta",
    );
    expect(review(BASE, renamed).hold).toBe(false);
  });

  it("holds unchecking a task done on the hub (a stale buffer), but not the reopen form", () => {
    const stale = edit(BASE, "- [x] a: Alpha", "- [ ] a: Alpha");
    const { hold, result } = review(BASE, stale);
    expect(hold).toBe(true);
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: "reverts-done", tasks: ["a"] }),
    ]);
    expect(result.findings[0]?.message).toMatch(/reopen: why/);
    const reopen = edit(
      stale,
      "  - note: landed first\n",
      "  - note: landed first\n  - reopen: it broke again\n",
    );
    expect(review(BASE, reopen).hold).toBe(false);
  });

  it("does not hold an open task the hub has since checked off (the merge keeps the check-off)", () => {
    const hub = edit(BASE, "- [ ] b: Beta", "- [x] b: Beta");
    expect(
      review(
        BASE,
        edit(BASE, "- [ ] d: Delta\n", "- [ ] d: Delta\n  - note: x\n"),
        hub,
      ).hold,
    ).toBe(false);
  });
});

describe("applyReopens", () => {
  it("clears the box and the blocked line, and turns reopen into a dated note naming the earlier branch", () => {
    const text = edit(
      edit(
        BASE,
        "  - note: landed first\n",
        "  - note: landed first\n  - reopen: regressed\n",
      ),
      "- [ ] c: Gamma\n  - tags: gpu\n",
      "- [ ] c: Gamma\n  - tags: gpu\n  - blocked: gave up after 3 attempt(s)\n  - reopen:\n",
    );
    const out = applyReopens(parseProgress(text), {
      who: "Tess",
      day: "2026-12-05",
      branches: new Map([["c", "swarm/bob/c"]]),
    });
    expect(out).toContain(
      "- [ ] a: Alpha\n  - note: landed first\n  - note: reopened by Tess on 2026-12-05: regressed\n",
    );
    expect(out).toContain(
      "- [ ] c: Gamma\n  - tags: gpu\n  - note: reopened by Tess on 2026-12-05 (earlier work kept on branch swarm/bob/c)\n",
    );
    expect(out).not.toMatch(/blocked:|reopen:/);
    const doc = parseProgress(out);
    expect(doc.tasks.find((t) => t.id === "c")?.status).toBe("open");
    expect(applyReopens(parseProgress(BASE), { who: "x", day: "d" })).toBe(
      BASE,
    );
  });

  it("names tasks reopened from blocked, whichever form", () => {
    const blocked = edit(
      BASE,
      "  - tags: gpu\n",
      "  - tags: gpu\n  - blocked: stuck\n",
    );
    expect(reopenedBlocked(parseProgress(blocked), BASE)).toEqual(["c"]);
    expect(reopenedBlocked(parseProgress(blocked), blocked)).toEqual([]);
  });
});

describe("renames", () => {
  it("pairs a task whose id changed with the same title and metadata", () => {
    const after = edit(BASE, "- [ ] b: Beta", "- [ ] beta: Beta");
    expect(findRenames(parseProgress(BASE), parseProgress(after))).toEqual([
      { from: "b", to: "beta" },
    ]);
    const changed = edit(
      edit(BASE, "- [ ] b: Beta", "- [ ] beta: Beta"),
      "  - needs: a\n",
      "",
    );
    expect(findRenames(parseProgress(BASE), parseProgress(changed))).toEqual(
      [],
    );
  });

  it("finds where a claimed task went, only when there is exactly one candidate", () => {
    const before = parseProgress(BASE).tasks.find((t) => t.id === "d");
    if (before === undefined) throw new Error("no d");
    const after = parseProgress(
      edit(BASE, "- [ ] d: Delta", "- [ ] delta: Delta"),
    );
    expect(findRenamedTask(before, after)?.id).toBe("delta");
    const twice = parseProgress(
      edit(BASE, "- [ ] d: Delta", "- [ ] d1: Delta\n- [ ] d2: Delta"),
    );
    expect(findRenamedTask(before, twice)).toBeUndefined();
    expect(
      findRenamedTask(
        before,
        parseProgress(edit(BASE, "- [ ] d: Delta\n", "")),
      ),
    ).toBeUndefined();
  });
});
