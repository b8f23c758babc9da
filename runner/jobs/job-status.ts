/**
 * A running job's last metrics as the hub has them: the `Swarm-Metrics` trailer of its work
 * branch's tip (the last heartbeat), for `gitswarm status`. Nothing is read from main.
 */
import { readHubBranches } from "../../coordination/git/hub-branches.js";
import type { SwarmState } from "../../coordination/protocol/swarm-state.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { lastMetrics, type JobMetrics } from "./job-metrics.js";

/** task id → the last metrics its held claim's heartbeat carried (job tasks only). */
export async function readJobMetrics(
  ws: Workspace,
  state: SwarmState,
  signal?: AbortSignal,
): Promise<Map<string, JobMetrics>> {
  const jobs = new Set(
    state.tasks.filter((t) => t.task.run !== undefined).map((t) => t.task.id),
  );
  const branches = new Map<string, string>();
  for (const lock of state.locks)
    if (lock.entry.ok && jobs.has(lock.entry.lock.task))
      branches.set(lock.entry.lock.branch, lock.entry.lock.task);
  const metrics = new Map<string, JobMetrics>();
  if (branches.size === 0) return metrics;
  for (const tip of await readHubBranches(ws, [...branches.keys()], signal)) {
    const trailer = await ws.git.run([
      "show",
      "-s",
      "--format=%(trailers:key=Swarm-Metrics,valueonly,separator=%x0A)",
      tip.commit,
    ]);
    const found = lastMetrics(trailer);
    const task = branches.get(tip.branch);
    if (found !== undefined && task !== undefined) metrics.set(task, found);
  }
  return metrics;
}
