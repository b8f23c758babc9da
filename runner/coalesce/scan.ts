/**
 * `gitswarm coalesce --dry-run`: read the hub through the coordination layer (swarm state, work
 * branches), scan a throw-away clone of its main, and report. Changes nothing on the hub or in the
 * user's checkout, and calls no model.
 */
import { readHubBranches } from "../../coordination/git/hub-branches.js";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { COMMAND_NAMES } from "../command-names.js";
import type { CoalesceConfig } from "./config.js";
import { detectFindings, type Detection } from "./detect/detect.js";
import { withScanClone } from "./workspace.js";

/** Work branches on the hub: `swarm/<agent>/<task>`. */
export const WORK_BRANCH_PATTERN = "swarm/*/*";

/** The `gitswarm` subcommands docs may name. */
export function knownCommands(): string[] {
  return [...COMMAND_NAMES, "help"];
}

/** Detects on the hub's current main, reading it through `home` (a clone of the hub). */
export async function scanHub(
  home: Workspace,
  repoDir: string,
  config: CoalesceConfig,
  options: { now?: Date; signal?: AbortSignal } = {},
): Promise<Detection> {
  const state = await readSwarmState(home, {
    signal: options.signal,
    leases: false,
  });
  const branches = await readHubBranches(
    home,
    [WORK_BRANCH_PATTERN],
    options.signal,
  );
  return withScanClone(
    home,
    (ws) =>
      detectFindings({
        repoDir,
        dir: ws.dir,
        config,
        state,
        branches,
        commands: knownCommands(),
        now: options.now,
        signal: options.signal,
      }),
    options.signal,
  );
}
