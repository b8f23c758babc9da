/**
 * The demo's coalescer story, checked piece by piece with the real tools: the demo repo starts with
 * exactly one duplicate (candidate/format.mjs), its scripted cleanup removes it, and the cleaned
 * candidate keeps every baseline case passing under the real oracle (so the gate lets it land).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { applyAttempt } from "../../../agents/local/scripted-agent.js";
import { Git } from "../../../coordination/git/git.js";
import {
  applyRatchet,
  loadOracleConfig,
  readBaseline,
  runOracle,
} from "../../../oracle/index.js";
import { loadConfig } from "../../../runner/config.js";
import { detectCode } from "../../../runner/coalesce/detect/detect.js";
import { prepareDemo, type DemoSetup } from "../../../runner/demo.js";

let base = "";
let demo: DemoSetup;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "gitswarm-demo-coalesce-"));
  demo = await prepareDemo({ baseDir: base });
}, 120_000);
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

it("starts with one duplicate that the scripted cleanup removes, keeping every baseline case", async () => {
  const config = (await loadConfig(demo.repoDir)).coalesce;
  expect(config.every).toEqual({ tasks: 3 });
  const before = await detectCode(demo.repoDir, demo.repoDir, config);
  expect(before.map((f) => [f.kind, f.files])).toEqual([
    ["duplicate-code", ["candidate/format.mjs"]],
  ]);
  // A clone under the repo's ignored .gitswarm/, where sql.js resolves as in agent workspaces.
  const dir = path.join(demo.repoDir, ".gitswarm", "test-clones", "coalesce");
  await new Git(demo.repoDir).run(["clone", "--quiet", demo.repoDir, dir]);
  await applyAttempt(
    path.join(demo.scriptDir, "swarm-coalesce", "attempt-1"),
    dir,
  );
  expect(await detectCode(demo.repoDir, dir, config)).toEqual([]);
  const report = await runOracle({
    repoDir: dir,
    config: await loadOracleConfig(dir),
  });
  const ratchet = applyRatchet(await readBaseline(dir), report);
  expect(ratchet.ok).toBe(true);
}, 240_000);
