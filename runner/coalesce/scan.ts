/**
 * `gitswarm coalesce --dry-run`: read the hub through the coordination layer (swarm state, work
 * branches), scan a throw-away clone of its main, and report. Changes nothing on the hub or in the
 * user's checkout, and calls no model. A repo with no hub yet is scanned in place: its checkout's
 * files and PROGRESS.md, with no locks and no work branches to compare.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  ARCHIVE_FILE,
  readArchivedIds,
} from "../../coordination/progress/archive.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import { readHubBranches } from "../../coordination/git/hub-branches.js";
import {
  deriveSwarmState,
  readSwarmState,
} from "../../coordination/protocol/swarm-state.js";
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

/**
 * Detects on the checkout at `repoDir` itself, for a repo with no hub: its tracked files as they
 * are on disk, its PROGRESS.md and archive; coordination drift needs a hub and is not looked for.
 */
export async function scanCheckout(
  repoDir: string,
  config: CoalesceConfig,
  options: { now?: Date; signal?: AbortSignal } = {},
): Promise<Detection> {
  const read = (name: string) =>
    readFile(path.join(repoDir, name), "utf8").catch(() => undefined);
  const [progress, archive] = await Promise.all([
    read("PROGRESS.md"),
    read(ARCHIVE_FILE),
  ]);
  const now = options.now ?? new Date();
  const state = deriveSwarmState(
    {
      tip: undefined,
      progress: progress === undefined ? undefined : parseProgress(progress),
      archivedIds: archive === undefined ? [] : readArchivedIds(archive),
      locks: [],
    },
    new Map(),
    now,
  );
  return detectFindings({
    repoDir,
    dir: repoDir,
    config,
    state,
    branches: [],
    commands: knownCommands(),
    now,
    signal: options.signal,
  });
}
