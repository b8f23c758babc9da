/**
 * bin/gitswarm runs dist/ only when it was built from the sources beside it: a stale build must never
 * run by accident (a test of the sources would pass or fail on old code). File times are set
 * explicitly, so nothing here depends on the clock or on how fast the disk is.
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// @ts-expect-error -- plain JavaScript without declarations (it runs before any TypeScript loader).
import { isDistCurrent } from "../../bin/dist-current.mjs";

const isCurrent = isDistCurrent as (root: string) => boolean;
const BEFORE = new Date("2026-01-01T00:00:00Z");
const BUILT = new Date("2026-01-02T00:00:00Z");
const AFTER = new Date("2026-01-03T00:00:00Z");

describe("isDistCurrent", () => {
  let root = "";

  async function put(file: string, text: string, time: Date): Promise<void> {
    const full = path.join(root, file);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, text);
    await utimes(full, time, time);
  }

  async function date(dir: string, time: Date): Promise<void> {
    await utimes(path.join(root, dir), time, time);
  }

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "gitswarm-dist-current-"));
    await put("tsconfig.json", "{}", BEFORE);
    await put(
      "tsconfig.build.json",
      JSON.stringify({
        include: ["runner", "oracle"],
        exclude: ["node_modules", "oracle/examples/**", "dist"],
      }),
      BEFORE,
    );
    await put("runner/cli/main.ts", "export {};", BEFORE);
    await put("oracle/index.ts", "export {};", BEFORE);
    await put("oracle/examples/sql/candidate.ts", "export {};", BEFORE);
    for (const dir of ["runner/cli", "runner", "oracle/examples/sql"])
      await date(dir, BEFORE);
    await date("oracle/examples", BEFORE);
    await date("oracle", BEFORE);
    await put("dist/build-info.json", "{}", BUILT);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("is current when every source predates the build", () => {
    expect(isCurrent(root)).toBe(true);
  });

  it("is stale when a source was edited after the build", async () => {
    await put("runner/cli/main.ts", "export const x = 1;", AFTER);
    expect(isCurrent(root)).toBe(false);
  });

  it("is stale when a source was added or removed (its folder's time moved)", async () => {
    await date("runner/cli", AFTER);
    expect(isCurrent(root)).toBe(false);
  });

  it("is stale when the build configuration changed", async () => {
    await utimes(path.join(root, "tsconfig.json"), AFTER, AFTER);
    expect(isCurrent(root)).toBe(false);
  });

  it("ignores what the build excludes", async () => {
    await put("oracle/examples/sql/candidate.ts", "export {};", AFTER);
    await date("oracle/examples/sql", AFTER);
    await date("oracle/examples", BEFORE);
    await date("oracle", BEFORE);
    expect(isCurrent(root)).toBe(true);
  });

  it("is not current when never built", async () => {
    await rm(path.join(root, "dist"), { recursive: true });
    expect(isCurrent(root)).toBe(false);
  });
});
