/**
 * Randomised edits on both sides (seeded, so a failure reproduces): whatever the edits, the merge
 * succeeds, keeps ids unique, decides presence by the documented rule and loses no added line.
 */
import { describe, expect, it } from "vitest";
import { mergeProgress } from "../../coordination/progress/merge.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import {
  addAfter,
  checkOff,
  moveBefore,
  note,
  remove,
  retitle,
  rewrite,
  type Edit,
} from "./progress-merge-fixture.js";

/** mulberry32: a tiny deterministic PRNG. */
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

function baseDoc(next: () => number): string {
  const tasks = Array.from(
    { length: 6 },
    (_, i) => `- [${next() < 0.3 ? "x" : " "}] t${i}: Task ${i}`,
  );
  return `# Progress\n\nIntro line.\n\n## Now\n\n${tasks.slice(0, 4).join("\n")}\n\n## Later\n\n${tasks.slice(4).join("\n")}\n`;
}

function randomEdit(
  text: string,
  next: () => number,
  side: string,
  n: number,
): string {
  const ids = parseProgress(text).tasks.map((t) => t.id);
  const pick = () => ids[Math.floor(next() * ids.length)] ?? "t0";
  const edits: Edit[] = [
    checkOff(pick()),
    note(pick(), `${side} note ${n}`),
    addAfter(pick(), `- [ ] ${side}${n}: Added by ${side}`),
    retitle(pick(), `Title by ${side} ${n}`),
    remove(pick()),
    moveBefore(pick(), pick()),
    rewrite("Intro line.", `Intro line by ${side} ${n}.`),
    rewrite("## Now\n", `Paragraph by ${side} ${n}.\n\n## Now\n`),
    (doc) =>
      `${doc}\n## Section by ${side} ${n}\n\n- [ ] s${side}${n}: In a new section\n`,
  ];
  const edit = edits[Math.floor(next() * edits.length)] as Edit;
  try {
    return edit(text);
  } catch {
    return text; // An edit that does not apply here (moving a task before itself, a gone line).
  }
}

describe("mergeProgress on random concurrent edits", () => {
  it("always merges, with unique ids, the documented presence and every added line", () => {
    for (let seed = 1; seed <= 100; seed += 1) {
      const next = random(seed);
      const base = baseDoc(next);
      let ours = base;
      let theirs = base;
      for (let n = 0; n < 1 + Math.floor(next() * 4); n += 1)
        ours = randomEdit(ours, next, "ours", n);
      for (let n = 0; n < 1 + Math.floor(next() * 4); n += 1)
        theirs = randomEdit(theirs, next, "theirs", n);
      const result = mergeProgress(base, ours, theirs);
      const context = `seed ${seed}\n--- base\n${base}--- ours\n${ours}--- theirs\n${theirs}`;
      expect(result.ok, context).toBe(true);
      if (!result.ok) continue;
      const merged = parseProgress(result.text);
      const ids = merged.tasks.map((t) => t.id);
      expect(new Set(ids).size, context).toBe(ids.length);
      expect(new Set(ids), `${context}--- merged\n${result.text}`).toEqual(
        expectedIds(base, ours, theirs),
      );
      const baseLines = new Set(base.split("\n"));
      const added = [...ours.split("\n"), ...theirs.split("\n")].filter(
        (l) => !baseLines.has(l) && !/\[[ xX]\]/.test(l),
      );
      for (const line of added) {
        expect(
          result.text,
          `${context}--- merged\n${result.text}--- missing: ${line}`,
        ).toContain(line.replace(/^\s*- /, ""));
      }
      const status = (text: string) =>
        new Map(
          parseProgress(text).tasks.map((t) => [t.id, t.status === "done"]),
        );
      const [b, o, t] = [status(base), status(ours), status(theirs)];
      for (const task of merged.tasks) {
        const checkedOff = (side: Map<string, boolean>) =>
          side.get(task.id) === true && b.get(task.id) !== true;
        if (checkedOff(o) || checkedOff(t))
          expect(task.status, `${context}: '${task.id}' was checked off`).toBe(
            "done",
          );
      }
      expect(mergeProgress(base, ours, ours)).toEqual({ ok: true, text: ours });
    }
  });
});

/** Rule 2, computed independently from the three parsed documents. */
function expectedIds(base: string, ours: string, theirs: string): Set<string> {
  const blocks = (text: string) => {
    const doc = parseProgress(text);
    return new Map(
      doc.tasks.map((t) => [
        t.id,
        doc.lines.slice(t.line - 1, t.endLine).join("\n"),
      ]),
    );
  };
  const [b, o, t] = [blocks(base), blocks(ours), blocks(theirs)];
  const ids = new Set<string>();
  for (const id of new Set([...o.keys(), ...t.keys()])) {
    const inBoth = o.has(id) && t.has(id);
    const survivor = o.get(id) ?? t.get(id);
    if (inBoth || !b.has(id) || survivor !== b.get(id)) ids.add(id);
  }
  return ids;
}
