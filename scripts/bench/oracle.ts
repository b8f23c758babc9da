/**
 * Benchmark of the oracle on the shipped example corpus (oracle/examples/sql, against its
 * recording): a parallel run against a sequential one (target >= 1.7x on 2 cores), and a cached
 * re-run against a cold run (target >= 10x). Ratios are measured and printed, never asserted.
 */
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  loadOracleConfig,
  parseSampleFraction,
  runOracle,
  type OracleConfig,
  type OracleReport,
} from '../../oracle/index.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../oracle/examples/sql');

/**
 * Runs the oracle benchmark and returns the lines to print. `GITSWARM_BENCH_ORACLE_SAMPLE` sets
 * the share of the corpus used (default 25%: a sequential run of every case takes minutes).
 */
export async function benchOracle(): Promise<string[]> {
  const fraction = parseSampleFraction(process.env.GITSWARM_BENCH_ORACLE_SAMPLE ?? '25%') ?? 0.25;
  const sample = fraction < 1 ? { fraction, seed: 'bench' } : undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gitswarm-bench-oracle-'));
  try {
    // A copy, so the example's own cache is neither used nor touched.
    await cp(EXAMPLE, dir, {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}.gitswarm`),
    });
    // The candidate imports sql.js: resolve it from this repository's node_modules.
    await symlink(path.resolve(EXAMPLE, '../../../node_modules'), path.join(dir, 'node_modules'));
    const base = await loadOracleConfig(dir, { recording: 'only' });
    const cores = os.availableParallelism();
    const run = async (config: OracleConfig, useCache: boolean) => {
      const started = performance.now();
      const report = await runOracle({
        repoDir: dir,
        config,
        useCache,
        ...(sample ? { sample } : {}),
      });
      return { ms: performance.now() - started, report };
    };
    const sequential = await run({ ...base, jobs: 1 }, false);
    const cold = await run({ ...base, jobs: cores }, true);
    const warm = await run({ ...base, jobs: cores }, true);
    const n = sequential.report.cases.length;
    return [
      `oracle: ${n} of ${sequential.report.total} example cases (${sample ? `sample ${Math.round(fraction * 100)}%` : 'all'}), ${cores} cores, load average ${os.loadavg()[0]?.toFixed(1)}, counts ${counts(sequential.report)}`,
      `oracle: sequential ${seconds(sequential.ms)} s, parallel (${cores} jobs) ${seconds(cold.ms)} s: ${(sequential.ms / cold.ms).toFixed(2)}x (target >= 1.7x on 2 cores)`,
      `oracle: cold run ${seconds(cold.ms)} s, cached re-run ${seconds(warm.ms)} s: ${(cold.ms / warm.ms).toFixed(1)}x faster (target >= 10x)`,
      `oracle: per case ${Math.round(sequential.ms / n)} ms sequential, ${Math.round(warm.ms / n)} ms cached; counts agree: ${counts(cold.report) === counts(warm.report)}`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function counts(report: OracleReport): string {
  return `${report.passed} passed, ${report.failed} failed`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}
