/**
 * `npm run bench`: runs every benchmark module and prints its lines. Each module exports one
 * `bench*(): Promise<string[]>`; ratios are measured and printed, never asserted.
 */
import { benchAnalytics } from "./analytics.js";
import { benchClaims } from "./claims.js";
import { benchFleet } from "./fleet.js";
import { benchLanding } from "./landing.js";
import { benchOracle } from "./oracle.js";
import { benchProgress } from "./progress.js";
import { benchSandbox } from "./sandbox.js";
import { benchSsh } from "./ssh.js";
import { benchStartup } from "./startup.js";

const benches: [string, () => Promise<string[]>][] = [
  ["analytics", benchAnalytics],
  ["claims", benchClaims],
  ["fleet", benchFleet],
  ["landing", benchLanding],
  ["oracle", benchOracle],
  ["progress", benchProgress],
  ["sandbox", benchSandbox],
  ["ssh", benchSsh],
  ["startup", benchStartup],
];

// `npm run bench -- oracle` runs only the named benchmarks.
const only = process.argv.slice(2);
for (const [name, bench] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  for (const line of await bench()) console.log(line);
}
