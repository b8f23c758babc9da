/**
 * `coalesceOnce` in-process on a real hub: the deterministic fixes (archive with the human's notes
 * moved, not deleted; prune only work branches of done tasks past the retention) and a
 * rate-limited cleanup agent, which releases the claim without counting a failure.
 */
import { afterEach, expect, it } from "vitest";
import { emptyUsage, type Agent } from "../../../agents/types.js";
import { readTrailers } from "../../../coordination/git/trailers.js";
import { loadConfig } from "../../../runner/config.js";
import type { CoalesceEvent } from "../../../runner/coalesce/coalesce-types.js";
import { coalesceOnce } from "../../../runner/coalesce/run-coalesce.js";
import {
  createSwarmFixture,
  hubTask,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";
import { jsBody } from "./acting-fixture.js";

let fixture: SwarmFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const rateLimited: Agent = {
  name: "limited",
  kind: "scripted",
  work: async () => ({
    kind: "failed",
    error: { kind: "rate-limited", until: "2030-01-01T00:00:00Z" },
    usage: emptyUsage(),
  }),
};

it("archives done tasks with their notes, prunes old branches of done tasks, and releases on a rate limit", async () => {
  const f = (fixture = await createSwarmFixture({
    "PROGRESS.md":
      "# Progress\n\n- [x] old: Old work\n  - note: a human wrote this and it must survive\n- [ ] next: Next\n",
    "gitswarm.config.yaml": "coalesce:\n  retention: 1h\n  unused: off\n",
    "src/a.mjs": jsBody("a"),
    "src/b.mjs": jsBody("b"),
  }));
  const agentClone = await f.clone("a1");
  const old = {
    GIT_COMMITTER_DATE: "2020-01-01T00:00:00Z",
    GIT_AUTHOR_DATE: "2020-01-01T00:00:00Z",
  };
  await agentClone.git.run(
    ["commit", "--quiet", "--allow-empty", "-m", "old work"],
    { env: old },
  );
  await agentClone.git.run([
    "push",
    "--quiet",
    "origin",
    "HEAD:refs/heads/swarm/a1/old",
  ]);
  await agentClone.git.run([
    "push",
    "--quiet",
    "origin",
    "HEAD:refs/heads/swarm/a1/next",
  ]);
  await agentClone.git.run([
    "commit",
    "--quiet",
    "--allow-empty",
    "-m",
    "recent work",
  ]);
  await agentClone.git.run([
    "push",
    "--quiet",
    "origin",
    "HEAD:refs/heads/swarm/a2/old",
  ]);
  const home = await f.clone("user");
  const events: CoalesceEvent[] = [];
  const result = await coalesceOnce({
    home,
    repoDir: home.dir,
    config: await loadConfig(home.dir),
    agent: rateLimited,
    onEvent: (e) => events.push(e),
  });
  expect(result.outcome).toBe("released");
  expect(result.cleanup?.outcome).toBe("rate-limited");
  expect(result.archived).toEqual(["old"]);
  // Old and done: pruned. Done but pushed to recently: kept (retention). Open task: kept.
  expect(result.pruned).toEqual(["swarm/a1/old"]);
  const heads = await f.hub.run([
    "for-each-ref",
    "--format=%(refname)",
    "refs/heads/swarm",
  ]);
  expect(heads.trim().split("\n").sort()).toEqual([
    "refs/heads/swarm/a1/next",
    "refs/heads/swarm/a2/old",
  ]);
  const archive = await f.hub.run(["show", "main:PROGRESS-archive.md"]);
  expect(archive).toContain(
    "- [x] old: Old work\n  - note: a human wrote this and it must survive",
  );
  expect(await f.hub.run(["show", "main:PROGRESS.md"])).not.toContain("old:");
  const trailers = readTrailers(
    await f.hub.run(["log", "-1", "--format=%B", "main"]),
  );
  expect(trailers.get("Swarm-Action")).toBe("archive");
  const ref = await hubTask(f.hub, "swarm-coalesce");
  expect(ref.files).toEqual(["tasks/swarm-coalesce.md"]);
  expect(ref.text).toMatch(/state: "?released"?/);
  expect(ref.text).toContain("coalesce: rate-limited");
  expect(events.map((e) => e.phase)).toEqual([
    "claimed",
    "findings",
    "archived",
    "pruned",
    "cleanup",
    "end",
  ]);
}, 180_000);
