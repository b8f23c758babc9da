/** `gitswarm run`: run the swarm (what `npm run swarm` runs). */
import {
  formatDoctorReport,
  loadAgentsConfig,
  mergePrices,
  preflightAgents,
  runDoctor,
  type AgentSpec,
} from "../../../agents/index.js";
import { sandboxDoctorLine } from "../../swarm/run-sandbox.js";
import { loadOracleConfig } from "../../../oracle/index.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { resolveRoster, type RosterEntry } from "../../swarm/agent-roster.js";
import { loadConfig, type SwarmConfig } from "../../config.js";
import { planDryRun } from "../../swarm/dry-run.js";
import { UserError } from "../../../coordination/base/errors.js";
import { leaseOption } from "../lease-option.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
  type CommandIo,
} from "../command.js";
import { requireGitRepo } from "../cli-workspace.js";
import { runWithOutput } from "../run-with-output.js";
import { dashboardForRun, parsePort } from "../dashboard-open.js";

export const runCommand: Command = {
  name: "run",
  summary: "run the swarm (--agents, --max-tasks, --budget, --dry-run, --demo)",
  usage: `Usage: gitswarm run [--agents KIND:COUNT,...] [--max-tasks N] [--budget USD] [--dry-run] [--demo]
                    [--skip-broken] [--lease DURATION] [--on-parent-exit stop|continue]
                    [--dashboard [--port N]]
                    [--repo DIR] [--json]

Runs the swarm on the repo: a hub (hub.url, or an embedded bare hub in .gitswarm/hub.git), one clone
per agent, agents claiming tasks from PROGRESS.md through the hub, the oracle gating every merge.
Ctrl-C stops gracefully (work pushed to branches; locks kept with their lease so a new run resumes
them); a second Ctrl-C forces (requests within 1 s count as one). Exit codes: 0 every task done,
1 tasks blocked or left undone, 4 --max-tasks/--budget reached with tasks left, 130 Ctrl-C,
143 SIGTERM, 129 SIGHUP or parent exit. Agents come from --agents, else gitswarm.config.yaml, else what this
machine can run (API keys, CLIs on PATH, a local model server).
  --agents LIST   KIND:COUNT or NAME:COUNT, e.g. claude-code:2,codex:2: a NAME or KIND picks the
                  configured agents (their baseUrl, model, command, keys kept) and sets the count;
                  a kind with none configured runs on its defaults (kinds: anthropic, openai,
                  gemini, claude-code, codex, gemini-cli, aider, command)
  --max-tasks N   stop after N tasks are done
  --budget USD    one pool of dollars for the whole run, shared by all agents: each model call
                  reserves its expected cost first; the run ends once it is spent
  --dry-run       print the plan (agents, first tasks, estimated cost) without touching the hub,
                  and run the doctor's checks (CLIs present, keys, endpoints, the sandbox):
                  what a real run would refuse
  --demo          offline demo: a bundled SQL swarm with scripted agents in a temp dir
  --skip-broken   start even if some agents fail the preflight (they are left out)
  --lease D       claim lease (default: config 'lease')
  --on-parent-exit stop|continue
                  when the process that started the run exits: stop gracefully (default) or keep
                    --on-parent-exit stop|continue
                  when the process that started the run exits: stop gracefully (default) or keep
                  running (the default when started detached, under nohup or setsid)
  --dashboard     serve the live web dashboard while it runs (its URL, with a token, on stderr;
                  see 'gitswarm help dashboard'); --port N picks its port`,

  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("run", argv, {
      agents: { type: "string" },
      "max-tasks": { type: "string" },
      budget: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      demo: { type: "boolean", default: false },
      "skip-broken": { type: "boolean", default: false },
      lease: { type: "string" },
      "on-parent-exit": { type: "string" },
      dashboard: { type: "boolean", default: false },
      port: { type: "string" },
    });
    const onParentExit = values["on-parent-exit"];
    if (onParentExit !== undefined) {
      if (onParentExit !== "stop" && onParentExit !== "continue")
        throw new UserError(
          "usage",
          `--on-parent-exit '${onParentExit}' must be 'stop' or 'continue'`,
        );
      io.setParentExitPolicy?.(onParentExit);
    }
    positionals("run", args, []);
    const maxTasks = optionalNumber("--max-tasks", values["max-tasks"], true);
    const budgetUsd = optionalNumber("--budget", values.budget, false);
    const leaseMs =
      values.lease === undefined ? undefined : leaseOption(values.lease);
    if (values.demo) {
      const { runDemo } = await import("../demo-run.js");
      return runDemo(io, { json: values.json ?? false });
    }
    const dir = repoDir(io, values.repo);
    await requireGitRepo(dir);
    const config = await loadConfig(dir);
    const oracle = (await loadOracleConfig(dir)).candidate !== undefined;
    const roster = await resolveRoster(dir, values.agents, io.env);
    if (roster.source === "detected") {
      io.stderr(
        `No agents configured; found on this machine: ${roster.detection?.found.join(", ")}.\n${roster.detection?.hints.join("\n")}\n`,
      );
    }
    if (values["dry-run"]) {
      const progress = parseProgress(
        await readFile(path.join(dir, "PROGRESS.md"), "utf8"),
      );
      const plan = planDryRun(progress, roster.entries, config);
      const preflight = await dryRunPreflight(dir, roster.specs, config, io);
      if (values.json) printJson(io, { ...plan, preflight });
      else io.stdout(`${plan.text}${preflight.text}`);
      return ExitCode.ok;
    }
    const { prices } = await loadAgentsConfig(dir);
    const preflight = await preflightAgents(roster.specs, io.env, {
      allowBroken: values["skip-broken"],
      prices: mergePrices(prices),
      repoDir: dir,
    }).catch((error: Error) => {
      // An agent that cannot run is a configuration problem: exit 2, nothing started.
      throw new UserError(
        "agents-not-ready",
        `${error.message}\nFix these, or pass --skip-broken to run without them.`,
        { cause: error },
      );
    });
    // Said before anything starts: a model the table lacks is priced at its vendor's highest rates.
    for (const check of preflight.report.checks)
      if (check.warning !== undefined)
        io.stderr(`warning: ${check.name}: ${check.warning}\n`);
    const usable = new Set(preflight.ready.map((s) => s.name));
    const entries: RosterEntry[] = roster.entries.filter(
      (e) => e.spec.kind !== "scripted" && usable.has(e.spec.name),
    );
    const dashboard = values.dashboard
      ? dashboardForRun(io, dir, parsePort(values.port))
      : undefined;
    const result = await runWithOutput(
      io,
      values.json ?? false,
      {
        repoDir: dir,
        config,
        roster: entries,
        budgetUsd,
        maxTasks,
        oracle,
        leaseMsOverride: leaseMs,
      },
      dashboard?.onEvent,
    ).finally(() => dashboard?.close());
    return result.exitCode;
  },
};

function optionalNumber(
  flag: string,
  value: string | undefined,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UserError(
      "usage",
      `${flag} '${value}' must be a positive ${integer ? "whole number" : "number"}`,
    );
  }
  return n;
}

/**
 * The doctor's checks a real run would make before starting (git, each agent's CLI, key and
 * endpoint, the sandbox), with a short time limit: what would fail, before anything is touched.
 */
async function dryRunPreflight(
  dir: string,
  specs: AgentSpec[],
  config: SwarmConfig,
  io: CommandIo,
) {
  const { prices } = await loadAgentsConfig(dir);
  const report = await runDoctor(specs, io.env, {
    prices: mergePrices(prices),
    repoDir: dir,
    // The doctor's own limit: at 5 s, gemini-cli (seconds to start) failed on a busy machine.
    timeoutMs: 15_000,
  });
  const sandbox = await sandboxDoctorLine(dir, config.sandbox, io.env);
  const ok = report.ok && sandbox.ok;
  const failed = report.checks.filter((c) => !c.ok);
  const text = ok
    ? `Preflight: every check a run makes passed (${report.checks.length} checks; ${sandbox.line.trim()}).\n`
    : `Preflight: a real run would be refused:\n${formatDoctorReport({ ok, checks: failed })}${sandbox.ok ? "" : sandbox.line}`;
  return {
    ok,
    checks: report.checks,
    sandbox: { ok: sandbox.ok, detail: sandbox.line.trim() },
    text,
  };
}
