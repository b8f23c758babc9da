/**
 * One person, one row: a git user.name and the actor name `--as` made of it, and two emails joined
 * by the repo's .mailmap, are counted as one identity; an agent retrying its own task is not
 * duplicate work. A real repository, read through analyzeRepository.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeRepository,
  type AnalyticsReport,
} from "../../../scripts/analytics/index.js";
import { History, swarmMessage } from "./history.js";

let history: History;
let report: AnalyticsReport;

const act = (action: string, agent: string, task: string, claim: string) =>
  swarmMessage(`${action}: ${task}`, {
    "Swarm-Action": action,
    "Swarm-Task": task,
    "Swarm-Agent": agent,
    "Swarm-Claim": claim,
  });

beforeAll(async () => {
  const h = (history = await History.create());
  await h.commit({
    author: "Seed 64471af3 maintainers",
    at: 0,
    message: "seed",
    write: {
      "PROGRESS.md": "# Progress\n- [ ] parser\n",
      // The short name and its address are Ann Lee's.
      ".mailmap": "Ann Lee <ann.lee@example.com> <ann@example.com>\n",
    },
  });
  // The same maintainer acting through gitswarm (`--as` made an actor name of the user.name).
  await h.commit({
    author: "Seed-64471af3-maintainers",
    at: 10,
    message: act("block", "Seed-64471af3-maintainers", "parser", "h1"),
    write: { "PROGRESS.md": "# Progress\n- [!] parser\n" },
  });
  await h.commit({
    author: "Ann",
    at: 20,
    message: "fix typo",
    write: { "a.txt": "a\n" },
  });
  await h.commit({
    author: "Ann Lee",
    at: 30,
    message: "more",
    write: { "a.txt": "b\n" },
  });
  // agent-a claims, lets go, and claims the same task again: a retry.
  await h.commit({
    author: "agent-a",
    at: 40,
    message: act("claim", "agent-a", "parser", "c1"),
  });
  await h.commit({
    author: "agent-a",
    at: 50,
    message: act("release", "agent-a", "parser", "c1"),
  });
  await h.commit({
    author: "agent-a",
    at: 60,
    message: act("claim", "agent-a", "parser", "c2"),
  });
  await h.commit({
    author: "agent-a",
    at: 70,
    message: act("done", "agent-a", "parser", "c2"),
  });
  report = await analyzeRepository({ repoDir: history.dir, ref: "main" });
}, 60_000);

afterAll(async () => {
  await history?.dispose();
});

describe("analytics identities", () => {
  it("counts one person once under two spellings and under two emails (.mailmap)", () => {
    const rows = Object.fromEntries(
      report.agents.map((a) => [a.agent, a.commits]),
    );
    expect(rows).toEqual({
      "Seed 64471af3 maintainers": 2,
      "Ann Lee": 2,
      "agent-a": 4,
    });
  });

  it("does not count an agent's retry of its own task as duplicate work", () => {
    expect(report.duplicates.tasks).toEqual([]);
    expect(report.duplicates.extraClaims).toBe(0);
  });
});
