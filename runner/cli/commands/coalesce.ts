/** `gitswarm coalesce`: runs the coalescer once (or, with --dry-run, only reports its findings). */
import { scanCheckout, scanHub } from "../../coalesce/scan.js";
import { formatFindings } from "../../coalesce/report.js";
import {
  ExitCode,
  parseCommandArgs,
  positionals,
  printJson,
  repoDir,
  type Command,
  type CommandIo,
} from "../command.js";
import { openCliWorkspace, requireGitRepo } from "../cli-workspace.js";
import { loadConfig } from "../../config.js";
import { UserError } from "../../../coordination/base/errors.js";
import type { Detection } from "../../coalesce/detect/detect.js";
import { setAgentSandbox } from "../../../coordination/base/sandbox/confine.js";

/** The coalesce command. */
export const coalesceCommand: Command = {
  name: "coalesce",
  summary:
    "find duplication and drift; fix what is deterministic, land one gated cleanup",
  usage: `Usage: gitswarm coalesce [--repo DIR] [--dry-run] [--json]

Claims the recurring task 'swarm-coalesce' (one coalescer at a time across every runner on the
hub), detects duplicated code (jscpd), unused code (knip, JS/TS), the project's own detectors
(coalesce.detectors) and coordination/documentation drift, archives done tasks, prunes work
branches of done tasks past coalesce.retention, and has an agent make at most one code cleanup,
which lands only through the oracle gate and only when the detector's figures strictly improve.

  --repo DIR   the swarm's repo (default: the current directory)
  --dry-run    only detect and report: no claim, no model call, nothing changes; in a repo
               with no hub yet, scans the checkout itself (no coordination checks)
  --json       print { findings: [{ kind, files?, task?, lines?, detail, fix }] } (and the result)

Exit 0 when the run finished (landed or not), 3 when another coalescer holds the task, 2 for a
bad config (a detector that is missing, hangs or prints garbage), 1 when something broke.
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandArgs("coalesce", argv, {
      "dry-run": { type: "boolean", default: false },
    });
    positionals("coalesce", rest, []);
    if (values["dry-run"]) {
      const detection = await dryRunScan(io, values.repo);
      if (values.json)
        printJson(io, {
          findings: detection.findings,
          figures: detection.figures,
        });
      else io.stdout(formatFindings(detection.findings));
      return ExitCode.ok;
    }
    const { ws, repo, config } = await openCliWorkspace(io, values.repo);
    // Loaded only here: a dry run must not pay for the model SDKs.
    const { createCoalesceAgent } = await import("../../coalesce/agent.js");
    const { coalesceOnce } = await import("../../coalesce/run-coalesce.js");
    // Its agent's commands and the gate's oracle candidate are confined as in `gitswarm run`.
    const { sandboxForRun } = await import("../../swarm/run-sandbox.js");
    const sandbox = await sandboxForRun(repo, config.sandbox, io.env);
    setAgentSandbox(sandbox.plan);
    if (sandbox.plan.kind === "none" && !values.json)
      io.stderr(`coalesce: sandbox: ${sandbox.description}\n`);
    const agent = await createCoalesceAgent(repo, config.coalesce, {
      env: io.env,
    });
    const result = await coalesceOnce({
      home: ws,
      repoDir: repo,
      config,
      agent,
      signal: io.signal,
      onEvent: values.json
        ? undefined
        : (event) => io.stderr(`coalesce: ${event.phase}: ${event.detail}\n`),
    });
    if (values.json) printJson(io, result);
    else io.stdout(`${result.summary}\n`);
    return result.outcome === "busy" ? ExitCode.claimLost : ExitCode.ok;
  },
};

/** Scans the hub's main, or the checkout itself when the repo has no hub yet. */
async function dryRunScan(
  io: CommandIo,
  repoOption: string | undefined,
): Promise<Detection> {
  const options = { signal: io.signal };
  try {
    const { ws, repo, config } = await openCliWorkspace(io, repoOption);
    return await scanHub(ws, repo, config.coalesce, options);
  } catch (error) {
    if (!(error instanceof UserError) || error.code !== "no-hub-remote")
      throw error;
  }
  const dir = repoDir(io, repoOption);
  await requireGitRepo(dir);
  const config = await loadConfig(dir);
  return scanCheckout(dir, config.coalesce, options);
}
