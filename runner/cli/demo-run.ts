/** `gitswarm run --demo`: the offline demo — a bundled SQL swarm run by scripted agents in a temp dir. */
import { loadConfig } from "../config.js";
import { prepareDemo } from "../demo.js";
import type { RosterEntry } from "../swarm/agent-roster.js";
import { ExitCode, type CommandIo } from "./command.js";
import { runWithOutput } from "./run-with-output.js";

const DEMO_REVIEWER = "reviewer";

/** Prepares the demo repo and runs the swarm on it; exit 0 when every task got done. */
export async function runDemo(
  io: CommandIo,
  options: { json: boolean },
): Promise<ExitCode> {
  const demo = await prepareDemo();
  if (!options.json) {
    io.stdout(
      [
        `gitswarm demo — ${demo.agents.length} SCRIPTED agents (they call no model: each applies a prepared change`,
        "per task, and some are deliberately wrong the first time, so you see the oracle gate and the retry).",
        "A scripted reviewer reviews every change: it requests one change to dot-mode-line, then approves the fix.",
        `Real hub, real claims, real oracle (sqlite3's recorded outputs vs a sql.js shell), live PROGRESS.md.`,
        `${demo.killAgent} will be killed mid-task; its stale lock is broken after the ${demo.leaseMs / 1000}s lease and its work resumed.`,
        `Repo: ${demo.repoDir}`,
        "",
      ].join("\n"),
    );
  }
  const roster: RosterEntry[] = demo.agents.map((agent) => ({
    name: agent.name,
    spec: { kind: "scripted", scriptDir: demo.scriptDir },
    capabilities: [],
  }));
  const config = await loadConfig(demo.repoDir);
  const result = await runWithOutput(io, options.json, {
    repoDir: demo.repoDir,
    // Every change is reviewed by the demo's scripted reviewer (runner/demo/scripts/*/review-attempt-N.json).
    config: {
      ...config,
      review: { ...config.review, reviewers: [DEMO_REVIEWER] },
    },
    reviewers: [
      { kind: "scripted", name: DEMO_REVIEWER, scriptDir: demo.scriptDir },
    ],
    roster,
    oracle: true,
    crashAgent: demo.killAgent,
  });
  if (!options.json)
    io.stdout(
      `\nThe demo repo stays at ${demo.repoDir} — try: git -C ${demo.repoDir} log --oneline\n`,
    );
  return result.state === "finished" ? ExitCode.ok : ExitCode.failure;
}
