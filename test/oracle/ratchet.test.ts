import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  applyRatchet,
  readBaseline,
  writeBaseline,
  BASELINE_PATH,
} from "../../oracle/ratchet.js";
import type { CaseResult } from "../../oracle/types.js";
import { UserError } from "../../coordination/base/errors.js";
import { makeTempDir } from "../support/temp-dir.js";

const result = (id: string, status: CaseResult["status"]): CaseResult => ({
  id,
  status,
  durationMs: 1,
});
const baseline = { version: 1 as const, passing: ["a", "b", "c"] };

describe("applyRatchet", () => {
  it("rejects a run that breaks a baseline case, naming it", () => {
    const outcome = applyRatchet(baseline, {
      cases: [
        result("a", "passed"),
        result("b", "failed"),
        result("c", "passed"),
      ],
    });
    expect(outcome).toEqual({ ok: false, regressions: ["b"] });
  });

  it("raises the baseline with newly passing cases", () => {
    const outcome = applyRatchet(baseline, {
      cases: ["a", "b", "c", "d"]
        .map((id) => result(id, "passed"))
        .concat(result("e", "failed")),
    });
    expect(outcome).toEqual({
      ok: true,
      raised: ["d"],
      baseline: { version: 1, passing: ["a", "b", "c", "d"] },
    });
  });

  it("does not count cases that were not run (sampling) or were skipped as regressions", () => {
    const outcome = applyRatchet(baseline, {
      cases: [result("a", "passed"), result("b", "skipped")],
      sample: { fraction: 0.1, seed: "s" },
    });
    expect(outcome).toEqual({ ok: true, raised: [], baseline });
  });

  it("after a full run, drops baseline cases that no longer exist", () => {
    const outcome = applyRatchet(baseline, {
      cases: [result("a", "passed"), result("b", "passed")],
    });
    expect(outcome).toMatchObject({
      ok: true,
      baseline: { passing: ["a", "b"] },
    });
  });

  it("reads and writes oracle/baseline.json; a corrupt file is a UserError", async () => {
    const dir = await makeTempDir("oracle-ratchet-");
    expect(await readBaseline(dir)).toEqual({ version: 1, passing: [] });
    await writeBaseline(dir, { version: 1, passing: ["z", "a"] });
    expect(
      JSON.parse(await readFile(path.join(dir, BASELINE_PATH), "utf8")),
    ).toEqual({
      version: 1,
      passing: ["a", "z"],
    });
    expect(await readBaseline(dir)).toEqual({
      version: 1,
      passing: ["a", "z"],
    });
    await mkdir(path.join(dir, "oracle"), { recursive: true });
    await writeFile(path.join(dir, BASELINE_PATH), '{"passing": [1]}');
    await expect(readBaseline(dir)).rejects.toThrow(UserError);
  });
});
