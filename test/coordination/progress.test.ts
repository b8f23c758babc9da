import { describe, expect, it } from "vitest";
import { parseProgress } from "../../coordination/progress/parse.js";
import {
  readProgress,
  validateProgress,
} from "../../coordination/progress/validate.js";
import {
  addTaskNote,
  appendTask,
  blockTask,
  checkOffTask,
} from "../../coordination/progress/edit.js";

const SAMPLE = `# Progress

Prose a human wrote. **Keep me.**

## Parser

- [ ] lexer: Tokenise SQL input
  - tags: sql, frontend
- [x] setup: Create the skeleton
- [ ] parser: Parse SELECT
  - needs: lexer, setup
  - note: try a Pratt parser
  - remember the semicolons

## Jobs

* [ ] train: Fine-tune the model
  * run: \`python train.py --epochs 3\`
  * gpu: 2
  * blocked: out of memory on step 40

- a plain bullet, not a task
`;

describe("parseProgress", () => {
  it("reads ids, titles, status, metadata, notes, order and sections", () => {
    const doc = parseProgress(SAMPLE);
    expect(doc.problems).toEqual([]);
    expect(
      doc.tasks.map((t) => [
        t.id,
        t.status,
        t.order,
        t.section,
        t.line,
        t.endLine,
      ]),
    ).toEqual([
      ["lexer", "open", 0, "Parser", 7, 8],
      ["setup", "done", 1, "Parser", 9, 9],
      ["parser", "open", 2, "Parser", 10, 13],
      ["train", "blocked", 3, "Jobs", 17, 20],
    ]);
    const [lexer, , parser, train] = doc.tasks;
    expect(lexer?.tags).toEqual(["sql", "frontend"]);
    expect(parser?.needs).toEqual(["lexer", "setup"]);
    expect(parser?.notes).toEqual([
      "try a Pratt parser",
      "remember the semicolons",
    ]);
    expect(train?.run).toBe("python train.py --epochs 3");
    expect(train?.gpu).toBe(2);
    expect(train?.blockedReason).toBe("out of memory on step 40");
  });

  it("accepts emphasised ids and CRLF files", () => {
    const doc = parseProgress(
      "- [ ] **lexer**: Tokenise\r\n- [X] `setup`: Skeleton\r\n",
    );
    expect(doc.tasks.map((t) => [t.id, t.status])).toEqual([
      ["lexer", "open"],
      ["setup", "done"],
    ]);
    expect(checkOffTask(doc, "lexer")).toBe(
      "- [x] **lexer**: Tokenise\r\n- [X] `setup`: Skeleton\r\n",
    );
  });
});

describe("validateProgress", () => {
  it("reports malformed items, bad ids, duplicates, unknown needs and cycles with their lines", () => {
    const source = [
      "- [ ] a: A", // 1
      "  - needs: c", // 2
      "- [ ] no title here", // 3
      "- [ ] Bad_ID: upper case", // 4
      "- [ ] a: again", // 5
      "- [ ] b: B", // 6
      "  - needs: ghost", // 7
      "- [ ] c: C", // 8
      "  - needs: a", // 9
      "- [ ] d: D", // 10
      "  - gpu: lots", // 11
    ].join("\n");
    const problems = validateProgress(parseProgress(source));
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [1, "dependency cycle: a -> c -> a"],
      [3, "a task item must read `- [ ] task-id: Title`"],
      [
        4,
        "'Bad_ID' is not a valid task id: use lowercase letters, digits, '.', '_' or '-' (at most 64)",
      ],
      [5, "duplicate task id 'a' (first declared on line 1)"],
      [6, "task 'b' needs 'ghost', which is not a task in this file"],
      [11, "gpu: expects a whole number of GPUs, got 'lots'"],
    ]);
    expect(() => readProgress(source, "repo/PROGRESS.md")).toThrow(
      /repo\/PROGRESS.md:3: a task item must read/,
    );
  });
});

describe("editing PROGRESS.md", () => {
  it("round-trips an unmodified document byte for byte", () => {
    const doc = parseProgress(SAMPLE);
    expect(doc.lines.join(doc.eol)).toBe(SAMPLE);
  });

  it("checking off a task changes only its head line", () => {
    const next = checkOffTask(parseProgress(SAMPLE), "parser");
    expect(changedLines(SAMPLE, next)).toEqual([
      [10, "- [ ] parser: Parse SELECT", "- [x] parser: Parse SELECT"],
    ]);
    expect(
      parseProgress(next).tasks.find((t) => t.id === "parser")?.status,
    ).toBe("done");
  });

  it("adds a note as one line inside the task, kept by the parser", () => {
    const next = addTaskNote(
      parseProgress(SAMPLE),
      "lexer",
      "agent-a: gave up\nbecause of X",
    );
    const doc = parseProgress(next);
    expect(doc.tasks[0]?.notes).toEqual(["agent-a: gave up because of X"]);
    expect(next.split("\n")[8]).toBe("  - note: agent-a: gave up because of X");
    expect(next.replace("  - note: agent-a: gave up because of X\n", "")).toBe(
      SAMPLE,
    );
  });

  it("blocks a task, and replaces an earlier reason in place", () => {
    const blocked = parseProgress(
      blockTask(parseProgress(SAMPLE), "lexer", "three failed attempts"),
    );
    expect(blocked.tasks[0]).toMatchObject({
      status: "blocked",
      blockedReason: "three failed attempts",
    });
    const again = blockTask(parseProgress(SAMPLE), "train", "no GPU host");
    expect(changedLines(SAMPLE, again)).toEqual([
      [20, "  * blocked: out of memory on step 40", "  - blocked: no GPU host"],
    ]);
  });

  it("appends a task after the last one, or under a new heading in an empty file", () => {
    const next = appendTask(parseProgress(SAMPLE), {
      id: "eval",
      title: "Evaluate",
      needs: ["train"],
      tags: ["gpu"],
    });
    const doc = parseProgress(next);
    expect(validateProgress(doc)).toEqual([]);
    expect(doc.tasks.at(-1)).toMatchObject({
      id: "eval",
      needs: ["train"],
      tags: ["gpu"],
      section: "Jobs",
    });
    expect(
      appendTask(parseProgress("# Progress\n"), { id: "a", title: "A" }),
    ).toBe("# Progress\n\n## Tasks\n\n- [ ] a: A\n");
  });
});

function changedLines(
  before: string,
  after: string,
): [number, string, string][] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) =>
    line === b[i] ? [] : [[i + 1, line, b[i] ?? ""]],
  );
}
