import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { analyzeRepository } from '../../../scripts/analytics/index.js';
import { importSyntheticHistory } from '../../../scripts/analytics/synthetic-history.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

it('streams a 2,000-commit history in one pass and classifies every commit', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gitswarm-analytics-stream-'));
  dirs.push(dir);
  const history = await importSyntheticHistory(dir, { commits: 2000, agents: 4, start: 1_700_000_000, step: 60 });
  const report = await analyzeRepository({ repoDir: dir });
  expect(report.commits).toBe(2000);
  // 500 cycles of claim, work, work, then done / release (every 7th) / break (every 50th).
  expect(history.counts).toEqual({ claim: 500, work: 1000, done: 420, release: 70, break: 10 });
  for (const [cls, count] of Object.entries(history.counts)) expect(report.byClass[cls as keyof typeof report.byClass].commits).toBe(count);
  expect(report.coordinationTax.commitShare).toBe(580 / 2000);
  // Each claim is held for three commits, 60 s apart.
  expect(report.holdTimes).toMatchObject({ count: 500, open: 0, p50: 180, max: 180 });
  expect(report.breaks.count).toBe(10);
  expect(report.agents.map((a) => a.agent).sort()).toEqual(['agent-1', 'agent-2', 'agent-3', 'agent-4']);
});
