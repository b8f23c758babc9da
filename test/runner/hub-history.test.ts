/**
 * The checks the end-to-end tests run on a hub's history must catch what they claim to catch:
 * plain data in, every broken guarantee out.
 */
import { describe, expect, it } from "vitest";
import {
  historyProblems,
  ratchetDrops,
  type HubCommit,
} from "./support/hub-history.js";

const tasks = [
  { id: "a", needs: [] },
  { id: "b", needs: ["a"] },
];
let n = 0;
const commit = (
  action: string | undefined,
  task?: string,
  parents = 1,
): HubCommit => {
  n += 1;
  return {
    sha: `c${String(n).padStart(7, "0")}`,
    parents: Array.from({ length: parents }, (_, i) => `p${i}`),
    subject: `${action} ${task}`,
    action,
    task,
  };
};

describe("historyProblems", () => {
  it("accepts a clean history: seed, claims, dones in dependency order", () => {
    const seed = commit(undefined);
    const history = [
      seed,
      commit("claim", "a"),
      commit("done", "a"),
      commit("claim", "b"),
      commit("progress"),
      commit("done", "b"),
    ];
    expect(historyProblems(history, tasks, new Set([seed.sha]))).toEqual([]);
  });

  it("reports a task done twice or never, a claim before its dependency was done, a commit without trailers and a merge", () => {
    const history = [
      commit("claim", "b"),
      commit("done", "a"),
      commit("done", "a"),
      commit(undefined),
      commit("release", "b", 2),
    ];
    const problems = historyProblems(history, tasks, new Set());
    expect(problems).toEqual([
      expect.stringMatching(/has no Swarm-Action trailer/),
      expect.stringMatching(/is a merge commit on main/),
      "a has 2 done-commits, not exactly one",
      "b has 0 done-commits, not exactly one",
      expect.stringMatching(
        /^b was claimed \(\w+\) before its dependency a was done$/,
      ),
    ]);
  });
});

describe("ratchetDrops", () => {
  it("accepts a baseline that only grows", () => {
    expect(
      ratchetDrops([
        { sha: "x1", passing: [] },
        { sha: "x2", passing: ["a"] },
        { sha: "x3", passing: ["a", "b"] },
      ]),
    ).toEqual([]);
  });

  it("names a case that left the baseline and where", () => {
    expect(
      ratchetDrops([
        { sha: "x1", passing: ["a", "b"] },
        { sha: "x2", passing: ["b"] },
      ]),
    ).toEqual(["a left the baseline at x2"]);
  });
});
