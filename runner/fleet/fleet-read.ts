/** Reading the fleet off the hub: every runner ref's `runner.json`, judged live or silent. */
import { NETWORK_TIMEOUT_MS } from "../../coordination/git/git.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { runnerMirrorPrefix } from "./announcer.js";
import {
  describeFleet,
  HUB_RUNNER_REFS,
  parseRunnerRecord,
  RUNNER_FILE,
  type FleetRunner,
  type RunnerRecord,
} from "./runner-record.js";

/** Fetches the hub's runner refs into the clone and describes each runner at `now`. */
export async function readFleet(
  ws: Workspace,
  now: Date = new Date(),
  signal?: AbortSignal,
): Promise<FleetRunner[]> {
  const mirror = runnerMirrorPrefix(ws);
  await ws.git.tryRun(
    [
      "fetch",
      "--quiet",
      "--no-tags",
      "--prune",
      ws.remote,
      `+${HUB_RUNNER_REFS}*:${mirror}*`,
    ],
    { timeoutMs: NETWORK_TIMEOUT_MS, signal },
  );
  const refs = (
    await ws.git.run(["for-each-ref", "--format=%(refname)", mirror])
  )
    .split("\n")
    .filter((line) => line !== "");
  const records: RunnerRecord[] = [];
  for (const ref of refs) {
    const shown = await ws.git.tryRun(["show", `${ref}:${RUNNER_FILE}`]);
    const record = shown.ok ? parseRunnerRecord(shown.stdout) : undefined;
    if (record !== undefined) records.push(record);
  }
  return describeFleet(records, now);
}
