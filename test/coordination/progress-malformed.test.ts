/**
 * PROGRESS.md input an adversary wrote: lone CRs, ids git cannot put in a ref, reserved ids, and
 * task-like items that are not tasks. Each is found with its line (an error, or a warning for
 * prose), and no real task is lost or shifted.
 */
import { describe, expect, it } from "vitest";
import { parseProgress } from "../../coordination/progress/parse.js";
import { validateProgress } from "../../coordination/progress/validate.js";
import {
  declaredTaskIdProblem,
  isTaskId,
} from "../../coordination/progress/task.js";

const problemsOf = (source: string) =>
  validateProgress(parseProgress(source)).map((p) => [p.line, p.message]);

describe("a lone CR", () => {
  it("stays inside its line: no task lost, every line number right", () => {
    const source =
      "# P\n\nSome prose\rwith a lone CR.\n\n- [ ] a: First\r\n- [ ] b: Se\rcond\n  - note: x\ry\n- [ ] c: Third\n";
    const doc = parseProgress(source);
    expect(doc.tasks.map((t) => [t.id, t.line, t.endLine])).toEqual([
      ["a", 5, 5],
      ["b", 6, 7],
      ["c", 8, 8],
    ]);
    expect(doc.tasks[1]?.notes).toEqual(["x y"]);
    expect(doc.lines).toHaveLength(9);
    expect(validateProgress(doc)).toEqual([]);
  });

  it("in a task's notes does not hide the next task", () => {
    const doc = parseProgress("- [ ] a: A\n  - note: one\r- [ ] b: B\n");
    // The CR is no line end: `- [ ] b: B` is text of the note, as git and an editor show it.
    expect(doc.tasks.map((t) => t.id)).toEqual(["a"]);
    expect(doc.lines).toEqual(["- [ ] a: A", "  - note: one\r- [ ] b: B", ""]);
  });
});

describe("task ids are git ref names", () => {
  it.each(["a..b", "x.lock", "y.", "a.b.lock"])("refuses %s", (id) => {
    expect(isTaskId(id)).toBe(false);
    expect(declaredTaskIdProblem(id)).toMatch(/refs\/swarm\/tasks/);
    expect(problemsOf(`- [ ] ok: Fine\n- [ ] ${id}: Bad\n`)).toEqual([
      [2, expect.stringContaining(`'${id}' is not a valid task id`)],
    ]);
  });

  it.each(["a.b", "lock", "x.locks", "v1.2-rc_3"])("accepts %s", (id) => {
    expect(declaredTaskIdProblem(id)).toBeUndefined();
  });

  it("reserves swarm- ids for system tasks in PROGRESS.md", () => {
    expect(isTaskId("swarm-coalesce")).toBe(true);
    expect(problemsOf("- [ ] swarm-coalesce: Mine\n")).toEqual([
      [1, expect.stringMatching(/'swarm-coalesce' is reserved: .*'swarm-'/)],
    ]);
  });
});

describe("task-like items that are not tasks", () => {
  const cases = [
    ["an empty checkbox", "- [] t000: Box", 3, /checkbox is not '\[ \]'/],
    ["a wide checkbox", "- [  ] t000: Box", 3, /checkbox is not '\[ \]'/],
    ["a task in a quote", "> - [ ] t000: Quoted", 3, /inside a '>' quote/],
    [
      "a task nested in a task",
      "- [ ] t001: Parent\n  - [ ] t000: Child",
      4,
      /nested checkbox item/,
    ],
    [
      "a task nested in a plain bullet",
      "- Group\n  - [x] t000: Child",
      4,
      /nested checkbox item/,
    ],
  ] as const;
  it.each(cases)("%s is an error at its line", (_, item, line, message) => {
    const source = `# P\n\n${item}\n- [ ] real: Real\n`;
    expect(problemsOf(source)).toEqual([
      [line, expect.stringMatching(message)],
    ]);
    expect(parseProgress(source).tasks.map((t) => t.id)).toContain("real");
  });

  it.each([
    ["empty", "", 1],
    ["blank", "\n  \n", 1],
    ["binary", "# P\n\n- [ ] a: A\nx\u0000y\n", 4],
  ])("a file that is %s is an error at its line", (_, source, line) => {
    expect(problemsOf(source)).toEqual([
      [line, expect.stringMatching(/empty|is binary/)],
    ]);
  });

  it("prose that is not UTF-8 (Latin-1, decoded lossily) is still text", () => {
    expect(problemsOf("# P\n\ncaf\ufffd cr\ufffdme\n\n- [ ] a: A\n")).toEqual(
      [],
    );
  });

  it("prose that looks like a task is a warning naming its line", () => {
    const doc = parseProgress(
      "# P\n\n[ ] t000: Not a list item\n-[x] t001: No space\n\n- [ ] real: Real\n",
    );
    expect(validateProgress(doc)).toEqual([]);
    expect(doc.warnings.map((w) => w.line)).toEqual([3, 4]);
    expect(doc.warnings[0]?.message).toMatch(/looks like a task/);
  });

  it("code examples of tasks are neither tasks nor problems", () => {
    const doc = parseProgress(
      "# P\n\n```\n- [ ] t000: In a fence\n[ ] t001: x\n```\n\n- [ ] real: Real\n",
    );
    expect(doc.tasks.map((t) => t.id)).toEqual(["real"]);
    expect([...validateProgress(doc), ...doc.warnings]).toEqual([]);
  });
});
