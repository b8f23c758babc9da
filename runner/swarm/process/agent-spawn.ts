/**
 * How the supervisor starts, reads and kills one agent process: its node arguments (through tsx when
 * run from the sources), the keys it gets on stdin, its event lines, and a synchronous group kill.
 */
import { fileURLToPath } from "node:url";
import { agentProcessSecrets } from "../../../agents/secrets.js";
import { apiReviewers, type AgentJob } from "../../agent/agent-job.js";

// Compiled (dist/), an agent process is plain node; run from the sources (tests, a checkout whose
// dist/ is stale), it goes through tsx like its parent.
const FROM_SOURCES = import.meta.url.endsWith(".ts");
const AGENT_PROCESS = fileURLToPath(
  new URL(
    `../../agent/agent-process.${FROM_SOURCES ? "ts" : "js"}`,
    import.meta.url,
  ),
);
/** The node arguments that start one agent process (exported for the start-up bench). */
export function agentProcessArgs(job: AgentJob): string[] {
  // Resolved here, not by the child: agent processes run in their clone, where tsx is not installed.
  const loader = FROM_SOURCES ? ["--import", import.meta.resolve("tsx")] : [];
  return [...loader, AGENT_PROCESS, JSON.stringify(job)];
}

/** The keys an agent process makes its model calls with (its own and its fallbacks'), and no other. */
export function agentKeys(job: AgentJob): Record<string, string> {
  const specs = [
    ...(job.spec.kind === "scripted" ? [] : [job.spec]),
    ...job.fallbacks,
    // The reviews of its work are made from its process: the reviewers' keys go there too.
    ...apiReviewers(job),
  ];
  return agentProcessSecrets(specs, process.env);
}

/**
 * SIGKILLs a process group synchronously: a forced stop also runs from the runner's exit handler,
 * where a timer (killProcessGroup's SIGTERM-then-SIGKILL) would never fire.
 */
export function killGroupNow(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** An agent process's stdout line as an event, or undefined for a plain line. */
export function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === "object" && value !== null && "type" in value
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
