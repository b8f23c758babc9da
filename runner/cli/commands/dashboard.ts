/** `gitswarm dashboard [--port N]`: the live web dashboard on 127.0.0.1, behind a token. */
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  type Command,
} from "../command.js";
import { openDashboard, parsePort } from "../dashboard-open.js";

export const dashboardCommand: Command = {
  name: "dashboard",
  summary:
    "a live web dashboard: board, agents and their logs, task pages, costs, actions",
  usage: `Usage: gitswarm dashboard [--port N] [--repo DIR]

Serves a web dashboard on 127.0.0.1 (a free port unless --port) and prints its URL, which carries
a random token: a request without it gets 401. It reads only what any clone can read — the hub's
refs and PROGRESS.md, and the event and agent logs of this machine's runs — so it also works
where no agents run. Its buttons (reopen, block, release a stale lock) make the same commits as
'gitswarm reopen', 'gitswarm block' and 'gitswarm locks break', as git config user.name. Stopping
and restarting agents needs the runner's own dashboard: 'gitswarm run --dashboard'. Ctrl-C stops it.
  --port N   listen on this port (default: a free one)`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("dashboard", argv, {
      port: { type: "string" },
    });
    positionals("dashboard", args, []);
    const dashboard = await openDashboard(
      io,
      values.repo,
      parsePort(values.port),
    );
    io.stdout(`dashboard: ${dashboard.url}\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await dashboard.close();
    return ExitCode.ok;
  },
};
