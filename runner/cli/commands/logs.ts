/** `gitswarm logs AGENT [--follow] [--run ID] [--task ID]`: what one agent printed and did in a run. */
import { UserError } from "../../../coordination/base/errors.js";
import { agentLogFile } from "../../logs/agent-log.js";
import { isLineOfTask } from "../../logs/agent-log-line.js";
import {
  findRunDir,
  followFile,
  hasRunEnded,
  listLoggedAgents,
  readAgentLog,
} from "../../logs/read-agent-log.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  repoDir,
  type Command,
} from "../command.js";

export const logsCommand: Command = {
  name: "logs",
  summary: "an agent's log: what it printed, its tool and model calls, prompts",
  usage: `Usage: gitswarm logs AGENT [--follow] [--run ID] [--task ID] [--repo DIR]

Prints .gitswarm/runs/<run>/agents/AGENT.log: everything the agent's process printed (its
command's or vendor CLI's stdout and stderr), each tool call with its duration and result size,
each model call with its tokens and cost, the prompt of each attempt, and how its process ended.
Secrets are redacted as in events.jsonl. A log rotates at 8 MiB (AGENT.log.1, .2 are kept).
  --run ID     a run id or a unique prefix of one (default: the latest run)
  --task ID    only the lines written while the agent worked on task ID
  --follow     keep printing new lines until the run ends (or Ctrl-C)`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("logs", argv, {
      follow: { type: "boolean", short: "f", default: false },
      run: { type: "string" },
      task: { type: "string" },
    });
    const [agent = ""] = positionals("logs", args, ["AGENT"]);
    const repo = repoDir(io, values.repo);
    const runDir = await findRunDir(repo, values.run);
    if (runDir === undefined)
      throw new UserError(
        "no-run",
        values.run === undefined
          ? `no runs in ${repo}/.gitswarm/runs yet; start one with 'gitswarm run'`
          : `no single run matches '${values.run}' in ${repo}/.gitswarm/runs`,
      );
    const agents = await listLoggedAgents(runDir);
    if (!agents.includes(agent) && !values.follow)
      throw new UserError(
        "no-agent-log",
        `no log for agent '${agent}' in run ${runDir}; agents with logs: ${agents.join(", ") || "none"}`,
      );
    const task = values.task;
    const print = (text: string) => {
      const kept =
        task === undefined
          ? text
          : text
              .split("\n")
              .filter((line) => line !== "" && isLineOfTask(line, task))
              .map((line) => `${line}\n`)
              .join("");
      if (kept !== "") io.stdout(kept);
    };
    const { rotated, live } = await readAgentLog(runDir, agent);
    print(rotated + live);
    if (values.follow)
      await followFile(
        agentLogFile(runDir, agent),
        Buffer.byteLength(live),
        print,
        {
          signal: io.signal,
          finished: () => hasRunEnded(runDir),
        },
      );
    return ExitCode.ok;
  },
};
