import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { analyzeRepository } from "../../../scripts/analytics/index.js";
import { importSyntheticHistory } from "../../../scripts/analytics/history/synthetic-history.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

it("streams a 2,000-commit history in one pass and classifies every commit", async () => {
  const dir = await mkdtemp(
    path.join(os.tmpdir(), "gitswarm-analytics-stream-"),
  );
  dirs.push(dir);
  const history = await importSyntheticHistory(dir, {
    commits: 2000,
    agents: 4,
    start: 1_700_000_000,
    step: 60,
  });
  const report = await analyzeRepository({ repoDir: dir });
  expect(report.commits).toBe(2000);
  const counts = history.counts;
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(2000);
  for (const [cls, count] of Object.entries(counts))
    expect(report.byClass[cls as keyof typeof report.byClass].commits).toBe(
      count,
    );
  const coordination =
    (counts.claim ?? 0) +
    (counts.release ?? 0) +
    (counts.break ?? 0) +
    (counts.progress ?? 0);
  expect(report.coordinationTax.commitShare).toBe(coordination / 2000);
  // The last cycle may be cut off mid-way: at most one claim is still open.
  const ended =
    (counts.done ?? 0) + (counts.release ?? 0) + (counts.break ?? 0);
  expect(report.holdTimes.count).toBe(ended);
  expect(report.holdTimes.open).toBe((counts.claim ?? 0) - ended);
  expect(report.breaks.count).toBe(counts.break);
  expect(report.claimToDone.count).toBe(counts.done);
  expect(report.agents.map((a) => a.agent).sort()).toEqual([
    "agent-1",
    "agent-2",
    "agent-3",
    "agent-4",
  ]);
});

it("streams main and 2,000 commits' worth of task refs in one pass, the refs kept apart", async () => {
  const dir = await mkdtemp(
    path.join(os.tmpdir(), "gitswarm-analytics-stream-refs-"),
  );
  dirs.push(dir);
  const history = await importSyntheticHistory(dir, {
    commits: 2000,
    agents: 4,
    start: 1_700_000_000,
    step: 60,
    layout: "task-refs",
  });
  const report = await analyzeRepository({ repoDir: dir, ref: "main" });
  const main = history.counts;
  const refs = history.taskRefCounts;
  const onMain = Object.values(main).reduce((a, b) => a + b, 0);
  expect(report.commits).toBe(onMain);
  expect(report.byClass.claim.commits).toBe(0);
  for (const [cls, count] of Object.entries(main))
    expect(report.byClass[cls as keyof typeof report.byClass].commits).toBe(
      count,
    );
  expect(report.coordinationTax.commitShare).toBe(
    (main.progress ?? 0) / onMain,
  );
  expect(report.taskRefs).toMatchObject({
    commits: 2000 - onMain,
    byAction: {
      claims: refs.claim,
      releases: refs.release,
      breaks: refs.break,
      done: refs.done,
      blocks: 0,
      other: 0,
    },
  });
  const ended = (refs.done ?? 0) + (refs.release ?? 0) + (refs.break ?? 0);
  expect(report.holdTimes.count).toBe(ended);
  expect(report.holdTimes.open).toBe((refs.claim ?? 0) - ended);
  expect(report.breaks.count).toBe(refs.break);
  expect(report.claimToDone.count).toBe(refs.done);
});
