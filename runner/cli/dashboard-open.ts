/**
 * Opens a dashboard for a command: finds the hub the way `gitswarm status` does (none yet is fine:
 * the board stays empty until the first run), and who its buttons act as (git config user.name,
 * as the CLI's `--as` default; `dashboard` when unset).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../coordination/base/errors.js";
import { configSchema } from "../config.js";
import { startDashboard, type Dashboard } from "../dashboard/server.js";
import type { SwarmEvent } from "../../coordination/base/events.js";
import { repoDir, type CommandIo } from "./command.js";
import { openCliWorkspace, resolveActor } from "./cli-workspace.js";

/** Starts a dashboard on `repo`. */
export async function openDashboard(
  io: CommandIo,
  repo: string | undefined,
  port: number | undefined,
): Promise<Dashboard> {
  const opened = await openCliWorkspace(io, repo).catch((error: unknown) => {
    if (error instanceof UserError && error.code === "no-hub-remote")
      return undefined;
    throw error;
  });
  const dir = opened?.repo ?? repoDir(io, repo);
  const actor = await resolveActor("dashboard", dir, undefined).then(
    (a) => a.name,
    () => "dashboard",
  );
  const dashboard = await startDashboard({
    repoDir: dir,
    ws: opened?.ws,
    actor,
    // Without a hub nothing waits for approval; the schema's own default stands in.
    maxAttempts:
      opened?.config.maxAttempts ??
      configSchema.shape.maxAttempts.parse(undefined),
    port,
  });
  // Like a notebook server's runtime file: its URL (with the token) for scripts and tests on this
  // machine, readable by this user only, removed when it stops.
  const file = path.join(dir, ".gitswarm", "dashboard.json");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    `${JSON.stringify({ url: dashboard.url, pid: process.pid })}\n`,
    { mode: 0o600 },
  );
  return {
    ...dashboard,
    close: async () => {
      await rm(file, { force: true });
      await dashboard.close();
    },
  };
}

/**
 * `gitswarm run --dashboard`: a dashboard started as soon as the run has its hub (its `run-start`
 * event); its URL goes to stderr. Its pause and agent buttons write the run's control file, as
 * `gitswarm pause` and `gitswarm agent` do from any terminal.
 */
export function dashboardForRun(
  io: CommandIo,
  repo: string,
  port: number | undefined,
) {
  let started: Promise<Dashboard | undefined> | undefined;
  let current: Dashboard | undefined;
  return {
    onEvent: (event: SwarmEvent) => {
      if (current !== undefined) current.poke();
      if (event.type !== "run-start" || started !== undefined) return;
      started = openDashboard(io, repo, port).then(
        (dashboard) => {
          current = dashboard;
          io.stderr(`dashboard: ${dashboard.url}\n`);
          return dashboard;
        },
        (error: Error) => {
          io.stderr(`dashboard: not started: ${error.message}\n`);
          return undefined;
        },
      );
    },
    close: async () => (await started)?.close(),
  };
}

/** `--port`: a whole number from 0 to 65535. */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(
      "usage",
      `--port '${value}' must be a whole number from 0 to 65535`,
    );
  return port;
}
