import { describe, expect, it } from "vitest";
import {
  archiveDoneTasks,
  readArchivedIds,
} from "../../coordination/progress/archive.js";
import { readProgress } from "../../coordination/progress/validate.js";

const SOURCE = `# Progress

## Tasks

- [x] setup: Skeleton
  - note: agent-1: done in 3 commits
- [ ] lexer: Tokenise
- [x] docs: Docs
- [x] parser: Parse
- [ ] planner: Plan
  - needs: parser

## Loose list

- [x] bench: Benchmarks

- [ ] vm: VM
`;

describe("archiveDoneTasks", () => {
  it("moves done blocks byte for byte, keeps what remaining tasks need, and starts an archive", () => {
    const result = archiveDoneTasks(SOURCE, "", {
      heading: "Archived 2026-11-21",
    });
    expect(result.ids).toEqual(["setup", "docs", "bench"]);
    expect(result.progress).toBe(`# Progress

## Tasks

- [ ] lexer: Tokenise
- [x] parser: Parse
- [ ] planner: Plan
  - needs: parser

## Loose list

- [ ] vm: VM
`);
    expect(result.archived).toBe(`# PROGRESS archive

Done tasks moved out of PROGRESS.md by \`gitswarm archive\`. Their ids stay taken and count as done.

## Archived 2026-11-21

- [x] setup: Skeleton
  - note: agent-1: done in 3 commits
- [x] docs: Docs
- [x] bench: Benchmarks
`);
    expect(readArchivedIds(result.archived)).toEqual([
      "setup",
      "docs",
      "bench",
    ]);
    expect(() => readProgress(result.progress)).not.toThrow();
  });

  it("keeps the last N done tasks and appends to an existing archive (CRLF kept)", () => {
    const crlf = SOURCE.replace(/\n/g, "\r\n");
    const first = archiveDoneTasks(crlf, "", { keep: 2 });
    expect(first.ids).toEqual(["setup", "docs"]);
    expect(first.progress).toBe(
      crlf
        .replace(
          "- [x] setup: Skeleton\r\n  - note: agent-1: done in 3 commits\r\n",
          "",
        )
        .replace("- [x] docs: Docs\r\n", ""),
    );
    const second = archiveDoneTasks(first.progress, first.archived, {
      heading: "Later",
    });
    expect(second.ids).toEqual(["bench"]);
    expect(second.archived).toBe(
      `${first.archived}\r\n## Later\r\n\r\n- [x] bench: Benchmarks\r\n`,
    );
  });

  it("keeps a done task whose dependants stay, through chains of needs", () => {
    const source =
      "- [x] a: A\n- [x] b: B\n  - needs: a\n- [ ] c: C\n  - needs: b\n- [x] d: D\n";
    expect(archiveDoneTasks(source).ids).toEqual(["d"]);
    expect(archiveDoneTasks("- [ ] a: A\n")).toEqual({
      progress: "- [ ] a: A\n",
      archived: "",
      ids: [],
    });
  });
});
