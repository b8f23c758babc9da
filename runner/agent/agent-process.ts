/**
 * The entry point of one agent process. The runner starts one per agent (a crash or a hang of one
 * agent never takes the runner or the others down) and reads its events as JSON lines on stdout.
 * SIGTERM stops it gracefully; it also stops by itself when the runner that started it is gone.
 */
import { readFileSync } from "node:fs";
import type { AgentEvent, AgentSpec } from "../../agents/index.js";
import { declareSecretNames, keyNamesOf } from "../../agents/secrets.js";
import { createScriptedAgent } from "../../agents/local/scripted-agent.js";
import { openBudgetPool } from "../../agents/spend/budget-pool.js";
import type { Agent } from "../../agents/index.js";
import {
  agentIdentity,
  openWorkspace,
} from "../../coordination/git/workspace.js";
import { loadOracleConfig } from "../../oracle/index.js";
import { runAgentLoop } from "./agent-loop.js";
import { openJobHost } from "../jobs/job-host.js";
import { SwarmError } from "../../coordination/base/errors.js";
import type { EventInput } from "../../coordination/base/events.js";
import { apiReviewers, type AgentJob } from "./agent-job.js";
import type { Reviewer } from "../../agents/review/review-types.js";
import { createScriptedReviewer } from "../../agents/review/scripted-reviewer.js";
import type { AgentLogMessage } from "../logs/agent-log-book.js";
import { RELEASE_STOP_SIGNAL, ReleaseStop } from "./release-stop.js";
import { reportHubOutages } from "../swarm/hub-watch.js";
import { setAgentSandbox } from "../../coordination/base/sandbox/confine.js";
import { pausedReader, userStopped } from "../control/pause-gate.js";
import { queueTickReader } from "../queue/queue-tick.js";
import { useHubSshCommand } from "../../coordination/git/ssh-mux.js";

const job = JSON.parse(process.argv[2] ?? "{}") as AgentJob;
// Our keys come on stdin, never in our environment (see AgentJob.keysOnStdin). Set here they live
// only in this process's heap: /proc/<pid>/environ shows the environment we were started with.
if (job.keysOnStdin === true)
  Object.assign(
    process.env,
    JSON.parse(readFileSync(0, "utf8") || "{}") as Record<string, string>,
  );
// Our own keys, whatever their names: no git call or tool process of ours may inherit them.
declareSecretNames(
  [
    ...(job.spec.kind === "scripted" ? [] : [job.spec]),
    ...job.fallbacks,
    ...apiReviewers(job),
  ].flatMap(keyNamesOf),
);
// Every command, tool, oracle candidate and job this agent runs is confined from here on.
setAgentSandbox(job.sandbox);
const controller = new AbortController();
const emit = (
  event: EventInput | AgentLogMessage | { type: "loop-end"; end: string },
) => process.stdout.write(`${JSON.stringify(event)}\n`);
// A chatty command's output goes to the log in full up to this, then only its tail.
const MAX_LOG_TEXT = 1024 * 1024;

reportHubOutages(job.hubOutageMs ?? 0, emit, job.name);
// An ssh hub: our fetches and pushes ride the runner's one connection to it.
if (job.sshCommand !== undefined) useHubSshCommand(job.sshCommand);
process.on("SIGTERM", () =>
  controller.abort(new Error("stopped by the runner")),
);
process.on(RELEASE_STOP_SIGNAL, () =>
  controller.abort(
    new ReleaseStop(
      job.runDir !== undefined && userStopped(job.runDir, job.name)
        ? "a user stopped this agent"
        : "the run cannot go on",
    ),
  ),
);
process.on("SIGINT", () => undefined); // Ctrl-C reaches the whole terminal group; the runner decides.
// A killed runner closes our stdout: losing events must not crash the stop (its last heartbeat).
process.stdout.on("error", () => undefined);
const parent = process.ppid;
setInterval(() => {
  // Orphaned (the runner was killed): stop, so a restarted runner never finds two of us.
  if (process.ppid !== parent)
    controller.abort(new Error("the runner is gone"));
}, 500).unref();

function toEvent(event: AgentEvent): EventInput | AgentLogMessage {
  if (event.type === "output" || event.type === "prompt") {
    const { text } = event;
    return {
      type: "agent-log",
      kind: event.type === "prompt" ? "prompt" : event.stream,
      text:
        text.length <= MAX_LOG_TEXT
          ? text
          : `[${text.length - MAX_LOG_TEXT} characters cut]\n${text.slice(-MAX_LOG_TEXT)}`,
    };
  }
  if (event.type === "model-call") {
    // The call's figures only: an error text stays in the agent's own log.
    const { ok: _ok, error: _error, ...call } = event;
    return call;
  }
  if (event.type === "tool-call")
    return {
      type: "tool-call",
      agent: event.agent,
      tool: event.tool,
      ok: event.ok,
      ms: event.ms,
    };
  return { type: "agent-event", agent: job.name, event: { ...event } };
}

async function makeAgent(): Promise<Agent> {
  if (job.spec.kind === "scripted")
    return createScriptedAgent(job.name, job.spec.scriptDir, {
      thinkMs: job.spec.thinkMs,
    });
  // Loaded only here: a scripted agent never pays for the vendor SDKs (about a second each start).
  const { createAgents, loadAgentsConfig, mergePrices } =
    await import("../../agents/index.js");
  const spec: AgentSpec = { ...job.spec, name: job.name, count: 1 };
  // The clone holds the same committed config: its `prices:` override the dated defaults.
  const { prices } = await loadAgentsConfig(job.workspaceDir);
  const [agent] = createAgents([spec, ...job.fallbacks], {
    env: process.env,
    prices: mergePrices(prices),
    onEvent: (event) => emit(toEvent(event)),
  });
  if (agent === undefined)
    throw new SwarmError(
      "agent-missing",
      `no agent could be made for ${job.name}`,
    );
  return agent;
}

/** The reviewers this agent's work may get; the vendor SDKs load only when one is an API agent. */
async function makeReviewers(): Promise<Reviewer[]> {
  const specs = job.reviewers ?? [];
  const api = apiReviewers(job);
  const made: Reviewer[] = [];
  if (api.length > 0) {
    const { createApiReviewer } =
      await import("../../agents/review/api-reviewer.js");
    const { canCliReview, createCliReviewer } =
      await import("../../agents/review/cli-reviewer.js");
    const { loadAgentsConfig, mergePrices } =
      await import("../../agents/index.js");
    const { prices } = await loadAgentsConfig(job.workspaceDir);
    const options = {
      env: process.env,
      prices: mergePrices(prices),
      keyNames: api.flatMap(keyNamesOf),
    };
    // A vendor CLI reviews in its read-only mode; every other kind here is an API agent.
    for (const spec of api)
      made.push(
        canCliReview(spec.kind)
          ? createCliReviewer(spec, options)
          : createApiReviewer(spec, options),
      );
  }
  for (const spec of specs)
    if (spec.kind === "scripted")
      made.push(createScriptedReviewer(spec.name, spec.scriptDir));
  return made;
}

try {
  const ws = openWorkspace(job.workspaceDir, {
    remote: job.remote,
    branch: job.branch,
    identity: agentIdentity(job.name),
    ...(job.runner === undefined ? {} : { runner: job.runner }),
  });
  const oracle = job.oracle
    ? await loadOracleConfig(job.workspaceDir)
    : undefined;
  const end = await runAgentLoop({
    ws,
    agent: await makeAgent(),
    me: {
      name: job.name,
      kind: job.spec.kind,
      capabilities: job.capabilities,
      jobsOnly: job.spec.kind === "command" && !job.spec.command,
    },
    scheduling: {
      swarmCapabilities: new Set(job.swarmCapabilities),
      routing: job.routing,
      ...(job.slot === undefined ? {} : { slot: job.slot }),
    },
    leaseMs: job.leaseMs,
    maxAttempts: job.maxAttempts,
    oracle,
    gates: job.gates,
    reviewers: await makeReviewers(),
    queue: job.queue,
    taskBudgetUsd: job.taskBudgetUsd,
    budgetPool:
      job.budgetPool === undefined
        ? undefined
        : openBudgetPool(
            job.budgetPool.file,
            job.name,
            job.budgetPool.limitUsd,
          ),
    maxTasks: job.maxTasks,
    previousCrash: job.previousCrash,
    paused: job.runDir === undefined ? undefined : pausedReader(job.runDir),
    queueTick:
      job.runDir === undefined ? undefined : queueTickReader(job.runDir),
    jobHost:
      job.jobs === undefined ? undefined : await openJobHost(ws, job.jobs),
    emit,
    signal: controller.signal,
  });
  emit({ type: "loop-end", end });
  process.exit(0);
} catch (error) {
  emit({
    type: "error",
    agent: job.name,
    message: (error as Error).stack ?? String(error),
  });
  process.exit(1);
}
