/**
 * The command table, in the order `--help` lists it. Commands load lazily: `gitswarm claim` must not
 * pay for loading the model SDKs, and git runs `merge-driver` on every merge of PROGRESS.md.
 */
import type { CommandName } from "../../command-names.js";
import type { Command } from "../command.js";

/** Each command's loader; typed by COMMAND_NAMES, so a name without a command fails to compile. */
export const commandLoaders: Record<CommandName, () => Promise<Command>> = {
  init: async () => (await import("./init.js")).initCommand,
  run: async () => (await import("./run.js")).runCommand,
  status: async () => (await import("./status.js")).statusCommand,
  logs: async () => (await import("./logs.js")).logsCommand,
  dashboard: async () => (await import("./dashboard.js")).dashboardCommand,
  pause: async () => (await import("./control/pause.js")).pauseCommand,
  resume: async () => (await import("./control/pause.js")).resumeCommand,
  agent: async () => (await import("./control/agent.js")).agentCommand,
  add: async () => (await import("./add.js")).addCommand,
  claim: async () => (await import("./task/claim.js")).claimCommand,
  heartbeat: async () => (await import("./task/heartbeat.js")).heartbeatCommand,
  release: async () => (await import("./task/release.js")).releaseCommand,
  land: async () => (await import("./task/land.js")).landCommand,
  locks: async () => (await import("./task/locks.js")).locksCommand,
  approve: async () => (await import("./task/approve.js")).approveCommand,
  reject: async () => (await import("./task/approve.js")).rejectCommand,
  reopen: async () => (await import("./task/reopen.js")).reopenCommand,
  block: async () => (await import("./task/block.js")).blockCommand,
  oracle: async () => (await import("./oracle.js")).oracleCommand,
  analytics: async () => (await import("./analytics.js")).analyticsCommand,
  archive: async () => (await import("./archive.js")).archiveCommand,
  progress: async () => (await import("./progress.js")).progressCommand,
  coalesce: async () => (await import("./coalesce.js")).coalesceCommand,
  doctor: async () => (await import("./doctor.js")).doctorCommand,
  notify: async () => (await import("./notify.js")).notifyCommand,
  "merge-driver": async () =>
    (await import("./merge-driver.js")).mergeDriverCommand,
};

/** Loads one command by name, or undefined for an unknown name. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  const load = Object.hasOwn(commandLoaders, name)
    ? commandLoaders[name as CommandName]
    : undefined;
  return load === undefined ? undefined : load();
}

/** Loads every command (for `--help`). */
export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
