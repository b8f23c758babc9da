import { describe, expect, it } from "vitest";
import {
  LogParser,
  logArgs,
  unquotePath,
} from "../../../scripts/analytics/history/log-parser.js";
import type { CommitRecord } from "../../../scripts/analytics/types.js";

// Real `git log` output of logArgs' format (see the integration tests for the real thing).
const OUTPUT = [
  "\x1e8b33\x1f7623\x1fx\x1fx@example.com\x1f1795235571\x1frefs/swarm/tasks/t1\x1frm",
  "\x1d",
  "",
  "-\t-\tbin.dat",
  " delete mode 100644 bin.dat",
  "\x1e7623\x1f\x1fx\x1fx@example.com\x1f1795235500\x1f\x1ffirst",
  "",
  "body line: not a trailer, this paragraph is prose",
  "",
  "Swarm-Action: claim",
  "Swarm-Task: t1",
  "\x1d",
  "",
  "-\t-\tbin.dat",
  '2\t0\t"we ird\\"name.txt"',
  "3\t1\tsrc/a.ts",
  " create mode 100644 bin.dat",
  ' create mode 100644 "we ird\\"name.txt"',
  " mode change 100644 => 100755 src/a.ts",
  "\x1ec0ff\x1fa1 b2\x1fMerger\x1fm@example.com\x1f1795235600\x1fmain\x1fMerge branch 'x'\x1d",
];

function parse(lines: string[]): CommitRecord[] {
  const commits: CommitRecord[] = [];
  const parser = new LogParser((c) => commits.push(c));
  for (const line of lines) parser.push(line);
  parser.end();
  return commits;
}

describe("LogParser", () => {
  it("parses headers, messages, trailers, numstat and creations/deletions", () => {
    const [rm, first, merge] = parse(OUTPUT);
    expect(rm).toEqual({
      hash: "8b33",
      parentCount: 1,
      authorName: "x",
      authorEmail: "x@example.com",
      time: 1795235571,
      subject: "rm",
      trailers: [],
      files: [
        { path: "bin.dat", added: 0, deleted: 0, binary: true, status: "D" },
      ],
      ref: "refs/swarm/tasks/t1",
    });
    expect(first?.ref).toBeUndefined();
    expect(merge?.ref).toBe("main");
    expect(first?.parentCount).toBe(0);
    expect(first?.subject).toBe("first");
    expect(first?.trailers).toEqual([
      { key: "Swarm-Action", value: "claim" },
      { key: "Swarm-Task", value: "t1" },
    ]);
    expect(first?.files).toEqual([
      { path: "bin.dat", added: 0, deleted: 0, binary: true, status: "A" },
      {
        path: 'we ird"name.txt',
        added: 2,
        deleted: 0,
        binary: false,
        status: "A",
      },
      { path: "src/a.ts", added: 3, deleted: 1, binary: false, status: "M" },
    ]);
    expect(merge).toMatchObject({
      hash: "c0ff",
      parentCount: 2,
      subject: "Merge branch 'x'",
      files: [],
    });
  });

  it("refuses output that is not its format, and output cut inside a message", () => {
    expect(() => parse(["2\t0\tfile"])).toThrow(/unexpected line/);
    expect(() => parse(["\x1eab\x1f\x1fx\x1fy\x1f1\x1f\x1fsubject"])).toThrow(
      /inside a commit message/,
    );
    expect(() => parse(["\x1eab\x1fbroken header"])).toThrow(/fields/);
  });

  it("asks git for one streaming pass with numstat, summary and no renames", () => {
    const args = logArgs(["--all"]);
    expect(args).toEqual(
      expect.arrayContaining([
        "log",
        "--numstat",
        "--summary",
        "--no-renames",
        "--all",
      ]),
    );
    expect(args.at(-1)).toBe("--");
  });
});

describe("unquotePath", () => {
  it("undoes git C-style quoting, octal UTF-8 bytes included", () => {
    expect(unquotePath("plain/path.txt")).toBe("plain/path.txt");
    expect(unquotePath('"a\\tb\\"c\\\\d"')).toBe('a\tb"c\\d');
    expect(unquotePath('"caf\\303\\251.md"')).toBe("café.md");
  });
});
