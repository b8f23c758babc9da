/**
 * Benchmark of the oracle on the shipped example corpus (oracle/examples/sql, against its
 * recording): a parallel run against a sequential one (target >= 1.7x on 2 cores), and a cached
 * re-run against a cold run (target >= 10x). Ratios are measured and printed, never asserted.
 * Rounds alternate sequential and parallel runs and the best of each is kept, so a burst of load
 * from other processes does not decide the ratio; the CPU the cases got per wall second is
 * printed too, because on a shared machine wall time also measures the neighbours.
 */
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  loadOracleConfig,
  parseSampleFraction,
  runOracle,
  type OracleConfig,
} from "../../oracle/index.js";

const EXAMPLE = path.resolve(import.meta.dirname, "../../oracle/examples/sql");

interface Timing {
  ms: number;
  /** CPU seconds of the case processes per wall second. */
  busy: number;
  counts: string;
  cases: number;
  total: number;
}

/**
 * Runs the oracle benchmark and returns the lines to print. `GITSWARM_BENCH_ORACLE_SAMPLE` sets
 * the share of the corpus (default 10%), `GITSWARM_BENCH_ORACLE_ROUNDS` the rounds (default 3).
 */
export async function benchOracle(): Promise<string[]> {
  const fraction =
    parseSampleFraction(process.env.GITSWARM_BENCH_ORACLE_SAMPLE ?? "10%") ??
    0.1;
  const rounds = Math.max(
    1,
    Number(process.env.GITSWARM_BENCH_ORACLE_ROUNDS ?? 3) || 3,
  );
  const sample = fraction < 1 ? { fraction, seed: "bench" } : undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-bench-oracle-"));
  try {
    // A copy, so the example's own cache is neither used nor touched.
    await cp(EXAMPLE, dir, {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}.gitswarm`),
    });
    // The candidate imports sql.js: resolve it from this repository's node_modules.
    await symlink(
      path.resolve(EXAMPLE, "../../../node_modules"),
      path.join(dir, "node_modules"),
    );
    const base = await loadOracleConfig(dir, { recording: "only" });
    const cores = os.availableParallelism();
    const run = async (
      config: OracleConfig,
      useCache: boolean,
    ): Promise<Timing> => {
      const cpuBefore = childCpuMs();
      const started = performance.now();
      const report = await runOracle({
        repoDir: dir,
        config,
        useCache,
        ...(sample ? { sample } : {}),
      });
      const ms = performance.now() - started;
      const busy = (childCpuMs() - cpuBefore) / ms;
      return {
        ms,
        busy,
        counts: `${report.passed} passed, ${report.failed} failed`,
        cases: report.cases.length,
        total: report.total,
      };
    };
    const sequential: Timing[] = [];
    const cold: Timing[] = [];
    const warm: Timing[] = [];
    for (let round = 0; round < rounds; round += 1) {
      sequential.push(await run({ ...base, jobs: 1 }, false));
      const cached = {
        ...base,
        jobs: cores,
        cacheDir: path.join(dir, `.cache-${round}`),
      };
      cold.push(await run(cached, true));
      warm.push(await run(cached, true));
    }
    const [seq, par, hot] = [best(sequential), best(cold), best(warm)];
    const agree = [...sequential, ...cold, ...warm].every(
      (t) => t.counts === seq.counts,
    );
    return [
      `oracle: ${seq.cases} of ${seq.total} example cases (${sample ? `sample ${Math.round(fraction * 100)}%` : "all"}), ${cores} cores, best of ${rounds} rounds, load average ${os.loadavg()[0]?.toFixed(1)}; ${seq.counts} (all runs agree: ${agree})`,
      `oracle: sequential ${seconds(seq.ms)} s, parallel (${cores} jobs) ${seconds(par.ms)} s: ${(seq.ms / par.ms).toFixed(2)}x (target >= 1.7x on 2 cores); cores busy with cases ${seq.busy.toFixed(2)} vs ${par.busy.toFixed(2)}`,
      `oracle: cold run ${seconds(par.ms)} s, cached re-run ${seconds(hot.ms)} s: ${(par.ms / hot.ms).toFixed(1)}x faster (target >= 10x)`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function best(timings: Timing[]): Timing {
  return timings.reduce((a, b) => (b.ms < a.ms ? b : a));
}

/** CPU time (user + system) of waited-for child processes from /proc, in ms; NaN elsewhere. */
function childCpuMs(): number {
  try {
    const fields =
      readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    // stat fields 16 and 17 (cutime, cstime), in clock ticks of 10 ms on Linux.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}
