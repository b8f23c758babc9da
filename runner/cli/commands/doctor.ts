/** `gitswarm doctor`: the preflight — git, and every configured agent really runs. */
import {
  formatDoctorReport,
  runDoctor,
} from "../../../agents/doctor/doctor.js";
import { parseAgentsFlag } from "../../../agents/agents-flag.js";
import { loadAgentsConfig } from "../../../agents/load-config.js";
import { mergePrices } from "../../../agents/spend/cost.js";
import { loadConfig } from "../../config.js";
import { describeGpus, detectGpus } from "../../jobs/gpu-inventory.js";
import { loadOracleConfig } from "../../../oracle/index.js";
import { UNGATED } from "../../gates/gate-plan.js";
import { sandboxDoctorLine } from "../../swarm/run-sandbox.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
} from "../command.js";

/** The doctor command. */
export const doctorCommand: Command = {
  name: "doctor",
  summary: "preflight: git and every configured agent can really run",
  usage: `Usage: gitswarm doctor [--agents KIND:COUNT,...] [--repo DIR] [--json]

Checks git, and for every agent: a CLI is on PATH and answers --version; an API key is set; a
custom endpoint (a local OpenAI-compatible server) answers a real request. Each problem is printed
with its fix. Lists the GPUs job tasks may use (nvidia-smi, or gpus: in the config), and says which
sandbox confines the agents' commands (bubblewrap), or what running without one gives up. Spends no tokens.

  --agents LIST   agents to check, e.g. claude-code:2,codex:2,gemini-cli:2 (default: the agents:
                  section of <repo>/gitswarm.config.yaml)
                  kinds: anthropic, openai, gemini, claude-code, codex, gemini-cli, aider, command
  --repo DIR      repository whose gitswarm.config.yaml to read (default: the current directory)
  --json          print the report as JSON

Exit code 0 when every check passes, 1 when any fails, 2 for a bad flag or config.
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandArgs("doctor", argv, {
      agents: { type: "string" },
    });
    positionals("doctor", rest, []);
    const dir = repoDir(io, values.repo);
    const configured = await loadAgentsConfig(dir);
    const specs =
      values.agents !== undefined
        ? parseAgentsFlag(values.agents, configured.agents ?? [])
        : (configured.agents ?? []);
    const report = await runDoctor(specs, io.env, {
      prices: mergePrices(configured.prices),
      repoDir: dir,
    });
    const config = await loadConfig(dir);
    const gpus = await detectGpus(config.gpus, io.env);
    const ungated = (await loadOracleConfig(dir)).candidate === undefined;
    const sandbox = await sandboxDoctorLine(dir, config.sandbox, io.env);
    if (values.json)
      printJson(io, {
        ...report,
        ok: report.ok && sandbox.ok,
        gpus,
        ungated,
        sandbox: {
          ok: sandbox.ok,
          active: sandbox.active,
          detail: sandbox.line.trim(),
        },
      });
    else {
      if (ungated)
        io.stdout(
          `warning: ${UNGATED}: only 'no change' and gates: check the agents' work; add an oracle: section to gitswarm.config.yaml (see README, "Oracle")\n`,
        );
      io.stdout(formatDoctorReport(report));
      io.stdout(describeGpus(gpus));
      io.stdout(sandbox.line);
      if (specs.length === 0)
        io.stdout(
          "No agents configured: pass --agents KIND:COUNT,... or add agents: to gitswarm.config.yaml.\n",
        );
    }
    return report.ok && sandbox.ok ? ExitCode.ok : ExitCode.failure;
  },
};
