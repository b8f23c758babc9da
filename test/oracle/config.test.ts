import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { outcomeCacheKey } from "../../oracle/process/cache.js";
import { renderCommand } from "../../oracle/process/command.js";
import { oracleConfigSchema } from "../../oracle/config.js";
import { globToRegExp } from "../../oracle/glob.js";
import { loadOracleConfig } from "../../oracle/load-config.js";
import { planExpected } from "../../oracle/plan.js";
import { UserError } from "../../coordination/base/errors.js";
import { makeTempDir } from "../support/temp-dir.js";

async function repoWith(yaml: string): Promise<string> {
  const dir = await makeTempDir("oracle-config-");
  await writeFile(path.join(dir, "gitswarm.config.yaml"), yaml);
  return dir;
}

describe("oracle config", () => {
  it("has a default for every field but the commands", () => {
    const config = oracleConfigSchema.parse({});
    expect(config).toMatchObject({
      cases: ["oracle/cases/**/*"],
      compare: ["exact"],
      timeout: 30_000,
      recording: "auto",
      recordingDir: "oracle/expected",
    });
    expect(config.candidate).toBeUndefined();
    expect(
      oracleConfigSchema.parse({
        timeout: "500ms",
        compare: "unordered,numeric",
        cases: "a/*.sql",
      }),
    ).toMatchObject({
      timeout: 500,
      compare: ["unordered", "numeric"],
      cases: ["a/*.sql"],
    });
  });

  it("reports invalid values as file: oracle.key: message, and CLI values as --option", async () => {
    const dir = await repoWith(
      "oracle:\n  candidate: ./c\n  timeout: soon\n  compare: fuzzy\n",
    );
    const error = await loadOracleConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(
      'gitswarm.config.yaml: oracle.timeout: invalid duration "soon": write e.g. 500ms, 10s or 2m (line 3)',
    );
    expect((error as Error).message).toContain(
      'gitswarm.config.yaml: oracle.compare[0]: invalid comparator "fuzzy": use one of exact, whitespace, unordered, numeric',
    );
    const cli = await loadOracleConfig(dir, {
      timeout: "2s",
      compare: "bogus",
    }).catch((e: unknown) => e);
    expect((cli as Error).message).toBe(
      '--compare[0]: invalid comparator "bogus": use one of exact, whitespace, unordered, numeric',
    );
    expect(
      await loadOracleConfig(dir, { timeout: "2s", compare: "exact" }),
    ).toMatchObject({
      timeout: 2000,
      candidate: "./c",
    });
  });

  it("reports YAML syntax errors with a line and runs with no config file at all", async () => {
    const dir = await repoWith("oracle:\n  cases: [a\n");
    await expect(loadOracleConfig(dir)).rejects.toThrow(
      /gitswarm\.config\.yaml:\d+: .*\(fix the YAML syntax\)/,
    );
    const empty = await makeTempDir("oracle-config-");
    expect(await loadOracleConfig(empty, { candidate: "cat" })).toMatchObject({
      candidate: "cat",
    });
    await expect(loadOracleConfig(dir.replace(/$/, ""), {})).rejects.toThrow(
      UserError,
    );
  });
});

describe("pure helpers", () => {
  it("globs match like a shell", () => {
    expect(globToRegExp("cases/*.sql").test("cases/a.sql")).toBe(true);
    expect(globToRegExp("cases/*.sql").test("cases/sub/a.sql")).toBe(false);
    expect(globToRegExp("cases/**/*.sql").test("cases/a.sql")).toBe(true);
    expect(globToRegExp("cases/**/*.sql").test("cases/x/y/a.sql")).toBe(true);
    expect(globToRegExp("c/*.{sql,txt}").test("c/a.txt")).toBe(true);
    expect(globToRegExp("c/[ab]?.sql").test("c/b1.sql")).toBe(true);
    expect(globToRegExp("c/[ab]?.sql").test("c/c1.sql")).toBe(false);
  });

  it("renders {case} shell-quoted, or stdin without it", () => {
    expect(
      renderCommand("node run.mjs {case} 2>&1", "/tmp/it's here.sql"),
    ).toEqual({
      command: "node run.mjs '/tmp/it'\\''s here.sql' 2>&1",
      stdin: false,
    });
    expect(renderCommand("sqlite3 :memory:", "/x.sql")).toEqual({
      command: "sqlite3 :memory:",
      stdin: true,
    });
  });

  it("cache keys change with every input", () => {
    const parts = {
      role: "candidate" as const,
      command: "c",
      caseSha256: "a",
      inputsSha256: "i",
      timeoutMs: 1,
      maxOutputBytes: 2,
    };
    const key = outcomeCacheKey(parts);
    expect(outcomeCacheKey({ ...parts })).toBe(key);
    for (const change of [
      { command: "d" },
      { caseSha256: "b" },
      { inputsSha256: "j" },
      { role: "reference" as const },
      { timeoutMs: 5 },
    ]) {
      expect(outcomeCacheKey({ ...parts, ...change })).not.toBe(key);
    }
  });

  it("plans expected outputs: expect file, fresh recording, live reference", () => {
    const recording = {
      version: 1 as const,
      reference: "ref",
      cases: {
        a: { sha256: "A", exitCode: 0 },
        b: { sha256: "old", exitCode: 0 },
      },
    };
    const cases = [
      { id: "a", sha256: "A", hasExpectFile: false },
      { id: "b", sha256: "B", hasExpectFile: false },
      { id: "c", sha256: "C", hasExpectFile: true },
      { id: "d", sha256: "D", hasExpectFile: false },
    ];
    const auto = planExpected(cases, recording, "auto", "ref");
    expect(Object.fromEntries(auto.sources)).toEqual({
      a: "recording",
      b: "reference",
      c: "expect-file",
      d: "reference",
    });
    expect(auto.stale).toEqual(["b"]);
    const only = planExpected(cases, recording, "only", "ref");
    expect(only.unavailable).toEqual([
      { id: "b", why: "stale" },
      { id: "d", why: "missing" },
    ]);
    expect(planExpected(cases, recording, "auto", "other ref").stale).toEqual([
      "a",
      "b",
    ]);
    expect(
      planExpected(cases, recording, "off", undefined).unavailable.map(
        (u) => u.id,
      ),
    ).toEqual(["a", "b", "d"]);
  });
});
