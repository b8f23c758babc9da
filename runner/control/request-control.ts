/**
 * The one way to steer a live run, for `gitswarm pause|resume`, `gitswarm agent stop|restart` and
 * the dashboard's buttons alike: find the run that is live in this checkout, check the agent is one
 * of its own, and write the request into its control file. The runner and its agents act on it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { findRunDir } from "../logs/read-agent-log.js";
import { parseEventLog } from "../swarm/run-summary.js";
import { activeRun } from "../swarm/run-lock.js";
import { writeControl } from "./control-file.js";
import {
  describeRequest,
  type ControlRequest,
  type ControlState,
} from "./control-state.js";

/** What a request did: the new state, or why nothing was written (in words for the user). */
export type ControlResult =
  | { ok: true; message: string; state: ControlState; runDir: string }
  | { ok: false; reason: "no-run" | "no-agent"; message: string };

/** The live run of a checkout: its directory and its agents; undefined when no run is live. */
export async function findLiveRun(
  repoDir: string,
): Promise<{ runDir: string; agents: string[] } | undefined> {
  if ((await activeRun(repoDir)) === undefined) return undefined;
  const runDir = await findRunDir(repoDir);
  if (runDir === undefined) return undefined;
  const events = parseEventLog(
    await readFile(path.join(runDir, "events.jsonl"), "utf8").catch(() => ""),
  );
  const start = events.find((e) => e.type === "run-start");
  return {
    runDir,
    agents: start?.type === "run-start" ? start.agents.map((a) => a.name) : [],
  };
}

/** Writes `request` into the live run's control file, as `by`. */
export async function requestControl(
  repoDir: string,
  request: ControlRequest,
  by: string,
): Promise<ControlResult> {
  const live = await findLiveRun(repoDir);
  if (live === undefined)
    return {
      ok: false,
      reason: "no-run",
      message: `no gitswarm run is live in ${repoDir}: start one with 'gitswarm run'`,
    };
  if (
    (request.kind === "stop" || request.kind === "restart") &&
    !live.agents.includes(request.agent)
  )
    return {
      ok: false,
      reason: "no-agent",
      message: `no agent '${request.agent}' in the live run; its agents: ${live.agents.join(", ") || "(none yet)"}`,
    };
  const state = await writeControl(live.runDir, request, by);
  return {
    ok: true,
    message: describeRequest(request),
    state,
    runDir: live.runDir,
  };
}
