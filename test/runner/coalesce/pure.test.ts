/** The coalescer's pure parts on plain data: parsers, drift checks, the judge, the schedule. */
import { describe, expect, it } from "vitest";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { parseConfigDocument } from "../../../coordination/base/config-file.js";
import { parseDetectorOutput } from "../../../runner/coalesce/detect/detect-configured.js";
import { parseJscpdReport } from "../../../runner/coalesce/detect/detect-duplicates.js";
import { parseKnipReport } from "../../../runner/coalesce/detect/detect-unused.js";
import {
  findDocDrift,
  ignoredNames,
} from "../../../runner/coalesce/detect/drift-docs.js";
import { findProgressDrift } from "../../../runner/coalesce/detect/drift-progress.js";
import type { Finding } from "../../../runner/coalesce/findings.js";
import { formatFigures, judgeCleanup } from "../../../runner/coalesce/judge.js";
import {
  cleanupTask,
  pickCleanupTarget,
} from "../../../runner/coalesce/pick.js";
import { decideCoalesce } from "../../../runner/coalesce/schedule.js";

const clone = (a: string, b: string, lines: number): Finding => ({
  kind: "duplicate-code",
  files: [a, b],
  lines: [`${a}:1-${lines}`, `${b}:1-${lines}`],
  size: lines,
  detail: `${lines} lines`,
  fix: "extract",
});

describe("detector output parsers", () => {
  it("turns a jscpd report into clone pairs with files and line ranges", () => {
    const side = (name: string, start: number, end: number) => ({
      name,
      start,
      end,
    });
    const report = JSON.stringify({
      duplicates: [
        {
          firstFile: side("./src/a.ts", 3, 20),
          secondFile: side("src/b.ts", 5, 22),
          lines: 18,
          tokens: 200,
        },
      ],
    });
    expect(parseJscpdReport(report)).toEqual([
      {
        kind: "duplicate-code",
        files: ["src/a.ts", "src/b.ts"],
        lines: ["src/a.ts:3-20", "src/b.ts:5-22"],
        size: 18,
        detail:
          "18 lines (200 tokens) duplicated between src/a.ts:3-20 and src/b.ts:5-22",
        fix: expect.stringContaining("preserving behaviour"),
      },
    ]);
  });

  it("turns knip issues into unused files, dependencies and exports", () => {
    const report = JSON.stringify({
      issues: [
        {
          file: "src/x.ts",
          files: [{ name: "src/x.ts" }],
          exports: [{ name: "y", line: 4 }],
        },
        {
          file: "package.json",
          dependencies: [{ name: "left-pad" }],
          devDependencies: [{ name: "old" }],
        },
      ],
    });
    expect(
      parseKnipReport(report).map((f) => [f.kind, f.files, f.lines]),
    ).toEqual([
      ["unused-file", ["src/x.ts"], undefined],
      ["unused-export", ["src/x.ts"], ["src/x.ts:4-4"]],
      ["unused-dependency", ["package.json"], undefined],
      ["unused-dependency", ["package.json"], undefined],
    ]);
  });

  it("reads a project detector's JSON lines, or its findings document, and names the bad line", () => {
    const ok =
      '{"kind":"todo","files":["a.rs"],"detail":"d","fix":"f"}\n\n{"kind":"todo","detail":"e","fix":"g"}\n';
    expect(parseDetectorOutput(ok, "mine")).toEqual({
      ok: true,
      findings: [
        {
          kind: "todo",
          files: ["a.rs"],
          detail: "d",
          fix: "f",
          detector: "mine",
        },
        { kind: "todo", detail: "e", fix: "g", detector: "mine" },
      ],
    });
    expect(
      parseDetectorOutput(
        '{"findings":[{"kind":"x","detail":"d","fix":"f"}]}',
        "m",
      ),
    ).toMatchObject({ ok: true, findings: [{ kind: "x" }] });
    expect(
      parseDetectorOutput(
        '{"kind":"a","detail":"d","fix":"f"}\nwarning: foo\n',
        "m",
      ),
    ).toMatchObject({ ok: false, line: 2, problem: "not JSON" });
    expect(
      parseDetectorOutput('{"kind":"a","detail":"d"}\n', "m"),
    ).toMatchObject({
      ok: false,
      line: 1,
      problem: expect.stringContaining("fix"),
    });
    expect(
      parseDetectorOutput('{"kind":"Bad Kind","detail":"d","fix":"f"}\n', "m"),
    ).toMatchObject({ ok: false, line: 1 });
  });

  it("locates a config value's line", () => {
    const yaml =
      "lease: 1m\ncoalesce:\n  detectors:\n    - name: a\n      command: x\n    - name: b\n      command: y\n";
    const doc = parseConfigDocument(yaml);
    expect(doc.lineOf(["coalesce", "detectors", 1, "command"])).toBe(7);
    // A missing key points at its nearest existing parent (the detectors list).
    expect(doc.lineOf(["coalesce", "detectors", 5, "command"])).toBe(4);
  });
});

describe("drift checks", () => {
  it("finds docs naming missing files, commands and scripts, and nothing where all exist", () => {
    const docs = [
      {
        file: "docs/GUIDE.md",
        text: "See `src/a.ts`, `b.ts`, [c](./c.md), `src/gone.ts`, `@scope/pkg`, `.gitswarm/hub.git`.\n\n```sh\n$ gitswarm status && gitswarm frob\nnpm run build\nnpm run nope\ngit pull gitswarm main\n```\n",
      },
    ];
    const found = findDocDrift({
      docs,
      files: ["src/a.ts", "lib/b.ts", "docs/c.md"],
      commands: ["status"],
      scripts: ["build"],
      ignored: [],
      external: [],
    });
    expect(found.map((f) => f.detail)).toEqual([
      "docs/GUIDE.md:1 names 'src/gone.ts', which is not in the repository",
      "docs/GUIDE.md:4 names 'gitswarm frob', which does not exist",
      "docs/GUIDE.md:6 names 'npm run nope', which does not exist",
    ]);
  });

  it("does not count git internals, ignored build output, package exports or declared external names as drift", () => {
    const docs = [
      {
        file: "README.md",
        text: "`.git/config`, `info/attributes`, `dist/`, `dist/cli.js`, `pkg/agents`, `checkpoints/`, `out/gone.ts`, `nvidia.com/gpu`, `github.com/a/b`, `util.ts/x`\n",
      },
    ];
    const context = {
      docs,
      files: ["src/a.ts"],
      commands: [],
      scripts: [],
      packageName: "pkg",
      ignored: ignoredNames("# built\n/dist/\n*.log\n!keep\nnode_modules/\n"),
      external: ["checkpoints/"],
    };
    expect(context.ignored).toEqual(["dist", "node_modules"]);
    // A domain's path is a URL or resource name; a first segment with a source extension is not a domain.
    expect(findDocDrift(context).map((f) => f.detail)).toEqual([
      "README.md:1 names 'out/gone.ts', which is not in the repository",
      "README.md:1 names 'util.ts/x', which is not in the repository",
    ]);
    // Without the context, the same names are drift: the exemptions are what let them pass.
    expect(
      findDocDrift({
        ...context,
        packageName: undefined,
        ignored: [],
        external: [],
      }).map((f) => f.detail),
    ).toHaveLength(6);
  });

  it("finds unarchived done tasks, a file over budget and a repeated note", () => {
    const text =
      "# P\n\n- [x] a: A\n  - note: flaky\n- [x] b: B\n  - note: flaky\n- [ ] c: C\n  - needs: b\n  - note: Flaky\n";
    const found = findProgressDrift(parseProgress(text), {
      maxLines: 5,
      repeatedNotes: 3,
    });
    expect(found.map((f) => [f.kind, f.task])).toEqual([
      ["unarchived-done", "a"],
      ["notes-bloat", undefined],
      ["repeated-note", undefined],
    ]);
    expect(
      findProgressDrift(parseProgress(text), {
        maxLines: 50,
        repeatedNotes: 4,
      }).map((f) => f.kind),
    ).toEqual(["unarchived-done"]);
  });
});

describe("judgeCleanup", () => {
  const before = [clone("a", "b", 20), clone("c", "d", 10)];
  it("accepts fewer clones with nothing new", () => {
    const verdict = judgeCleanup(
      before,
      [clone("c", "d", 10)],
      before[0] as Finding,
    );
    expect(verdict.ok).toBe(true);
    expect(
      formatFigures(verdict.after, Object.keys(verdict.before.counts)),
    ).toBe("duplicate-code=1 duplicated-lines=10");
  });
  it("accepts fewer duplicated lines in the same pair", () => {
    expect(
      judgeCleanup(
        before,
        [clone("a", "b", 8), clone("c", "d", 10)],
        before[0] as Finding,
      ).ok,
    ).toBe(true);
  });
  it("refuses no improvement, a new finding, and another kind going up", () => {
    expect(judgeCleanup(before, before, before[0] as Finding)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("did not improve"),
    });
    expect(
      judgeCleanup(before, [clone("a", "e", 5)], before[0] as Finding),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining("added 1 finding"),
    });
    const unused: Finding = {
      kind: "unused-export",
      files: ["x"],
      detail: "'q' unused",
      fix: "f",
    };
    expect(
      judgeCleanup(before, [clone("c", "d", 10), unused], before[0] as Finding)
        .ok,
    ).toBe(false);
  });
  it("ignores drift kinds a code change cannot affect", () => {
    const drift: Finding = {
      kind: "unarchived-done",
      task: "t",
      detail: "d",
      fix: "f",
    };
    expect(
      judgeCleanup(before, [clone("c", "d", 10), drift], before[0] as Finding)
        .ok,
    ).toBe(true);
  });
});

describe("picking and prompting the cleanup", () => {
  it("skips findings in files live claims change, prefers clones, and names the rules", () => {
    const unused: Finding = {
      kind: "unused-export",
      files: ["e.ts"],
      detail: "'q' unused",
      fix: "f",
    };
    const findings = [
      unused,
      clone("a.ts", "b.ts", 9),
      clone("c.ts", "d.ts", 9),
    ];
    expect(pickCleanupTarget(findings, new Set(["a.ts"]))?.files).toEqual([
      "c.ts",
      "d.ts",
    ]);
    expect(pickCleanupTarget(findings, new Set(["a.ts", "c.ts"]))).toBe(unused);
    expect(
      pickCleanupTarget(findings, new Set(["a.ts", "c.ts", "e.ts"])),
    ).toBeUndefined();
    const task = cleanupTask(
      "swarm-coalesce",
      findings[1] as Finding,
      new Set(["z.ts"]),
    );
    const text = task.notes.join("\n");
    expect(text).toContain("a.ts:1-9");
    expect(text).toContain("Preserve behaviour");
    expect(text).toContain(
      "Do not touch these files: tasks in progress are changing them: z.ts",
    );
  });
});

describe("decideCoalesce", () => {
  const state = {
    landedSinceLast: 0,
    msSinceLast: 0,
    running: false,
    notBefore: 0,
    now: 1_000_000,
  };
  it("runs after N tasks or a duration, never twice at once nor during a backoff", () => {
    expect(decideCoalesce(undefined, { ...state, landedSinceLast: 99 })).toBe(
      false,
    );
    expect(decideCoalesce({ tasks: 3 }, { ...state, landedSinceLast: 2 })).toBe(
      false,
    );
    expect(decideCoalesce({ tasks: 3 }, { ...state, landedSinceLast: 3 })).toBe(
      true,
    );
    expect(
      decideCoalesce({ duration: "10m" }, { ...state, msSinceLast: 600_000 }),
    ).toBe(true);
    expect(
      decideCoalesce(
        { tasks: 3, duration: "10m" },
        { ...state, msSinceLast: 5 },
      ),
    ).toBe(false);
    expect(
      decideCoalesce(
        { tasks: 1 },
        { ...state, landedSinceLast: 1, running: true },
      ),
    ).toBe(false);
    expect(
      decideCoalesce(
        { tasks: 1 },
        { ...state, landedSinceLast: 1, notBefore: 2_000_000 },
      ),
    ).toBe(false);
  });
});
