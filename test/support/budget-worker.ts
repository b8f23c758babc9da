/**
 * One agent process drawing on a run's budget pool, for the cross-process pool tests:
 * `budget-worker.ts FILE AGENT LIMIT CALLS EXPECTED ACTUAL` makes up to CALLS "model calls", each
 * reserving EXPECTED dollars first and settling ACTUAL after; prints `{ calls, spentUsd }`.
 */
import { openBudgetPool } from "../../agents/spend/budget-pool.js";

const [file = "", agent = "", limit, calls, expected, actual] =
  process.argv.slice(2);
const pool = openBudgetPool(file, agent, Number(limit));
let made = 0;
let spentUsd = 0;
for (let i = 0; i < Number(calls); i += 1) {
  const verdict = await pool.reserve(Number(expected));
  if (!verdict.ok) break;
  // The "call": what it really cost is known only once it returns.
  await new Promise((resolve) => setImmediate(resolve));
  await pool.settle(Number(actual));
  made += 1;
  spentUsd += Number(actual);
}
process.stdout.write(`${JSON.stringify({ agent, calls: made, spentUsd })}\n`);
