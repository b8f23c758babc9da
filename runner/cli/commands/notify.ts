/** `gitswarm notify test`: sends a test notification to every `notify:` target and says how each went. */
import { loadConfig } from "../../config.js";
import { Notifier } from "../../notify/index.js";
import { UserError } from "../../../coordination/base/errors.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
} from "../command.js";

/** The notify command. */
export const notifyCommand: Command = {
  name: "notify",
  summary: "send a test notification to every notify: target",
  usage: `Usage: gitswarm notify test [--repo DIR] [--json]

Sends one test notification to every target in the notify: section of gitswarm.config.yaml
(webhook, slack, discord, ntfy, command), whatever events it asks for, retried like a run's, and
prints each target's outcome by its label (a URL is a secret: never printed).
Exit code 0 when every target took it, 1 when any did not, 2 when notify: has no target.
`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("notify", argv, {});
    const [action] = positionals("notify", args, ["action"]);
    if (action !== "test")
      throw new UserError(
        "usage",
        `gitswarm notify: unknown action '${action}' (only 'test')`,
      );
    const dir = repoDir(io, values.repo);
    const config = await loadConfig(dir);
    if (config.notify.length === 0)
      throw new UserError(
        "no-notify-targets",
        "gitswarm.config.yaml has no notify: targets. Add one, e.g.\n" +
          "notify:\n  - kind: slack\n    urlEnv: SLACK_WEBHOOK_URL\n    events: [task-blocked, run-finished]",
      );
    const problems: string[] = [];
    // Every target gets the test, whatever events it asks for.
    const notifier = new Notifier({
      targets: config.notify.map((t) => ({ ...t, events: ["run-finished"] })),
      env: io.env,
      cwd: dir,
      onProblem: (message) => problems.push(message),
    });
    const results = await notifier.send({
      event: "run-finished",
      text: "gitswarm: a test notification (gitswarm notify test)",
      time: new Date().toISOString(),
    });
    const report = notifier.labels().map((label, i) => ({
      target: label,
      ok: results[i]?.ok ?? false,
      tries: results[i]?.tries ?? 0,
      ...(results[i]?.ok === false ? { problem: results[i].problem } : {}),
    }));
    if (values.json) printJson(io, report);
    else
      for (const r of report)
        io.stdout(
          `${r.ok ? "ok  " : "FAIL"} ${r.target}${r.ok ? "" : `: ${r.problem}`} (${r.tries} ${r.tries === 1 ? "try" : "tries"})\n`,
        );
    return report.every((r) => r.ok) ? ExitCode.ok : ExitCode.failure;
  },
};
