/**
 * CLI agents: a vendor coding CLI run in the workspace with the task prompt, a timeout and a
 * process-group kill (coordination/base/spawn.ts), its output parsed for result, usage, cost and rate limits.
 * The CLI gets the env it was given (it needs its own key or login); its output is redacted of
 * every secret value before it reaches an outcome or an event. In an agent process it runs in the
 * agent's sandbox (cli-sandbox.ts says what it may reach there).
 */
import { breakerFor, type AgentOptions } from "../api-agent.js";
import { drawOnPool } from "../spend/budget.js";
import type { CircuitBreaker } from "../providers/circuit-breaker.js";
import type { AgentSpec } from "../config.js";
import { DEFAULT_PRICES } from "../spend/cost.js";
import { priceCliRun } from "./cli-cost.js";
import { KIND_INFO } from "../kinds.js";
import { buildTaskPrompt } from "../prompt.js";
import { redact, scrubEnv, secretValues, type SecretList } from "../secrets.js";
import type {
  Agent,
  AgentFailure,
  Usage,
  WorkOutcome,
  WorkRequest,
} from "../types.js";
import type { CliResult } from "./cli-result.js";
import { CLI_DRIVERS, type CliDriver } from "./drivers.js";
import { runCliProcess } from "./run-cli-process.js";
import { cliConfinement } from "./cli-sandbox.js";
import {
  isSandboxed,
  withModelBridge,
} from "../../coordination/base/sandbox/confine.js";
import type { PendingTools } from "./tool-events.js";

export { CLI_DRIVERS } from "./drivers.js";

const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** An agent running a vendor CLI (kinds claude-code, codex, gemini-cli, aider). */
export function createCliAgent(
  spec: AgentSpec,
  options: AgentOptions = {},
): Agent {
  const driver = CLI_DRIVERS[spec.kind as keyof typeof CLI_DRIVERS];
  if (driver === undefined)
    throw new Error(`createCliAgent: ${spec.kind} is not a CLI kind`);
  const breaker = breakerFor(spec, options);
  return {
    name: spec.name,
    kind: spec.kind,
    async work(request) {
      const open = breaker.state();
      if (open.open) return stillLimited(spec, open.until);
      // A CLI run is one call the pool cannot stop midway: it is refused before it starts instead.
      const outcome = await drawOnPool(
        request.budget.pool,
        () => runCli(spec, driver, request, options),
        (detail): WorkOutcome => ({
          kind: "failed",
          error: { kind: "budget-exceeded", detail },
          usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
        }),
      );
      noteOutcome(breaker, outcome);
      return outcome;
    },
  };
}

/** Refused without starting the CLI: its limit has not reset yet (another agent may have hit it). */
function stillLimited(spec: AgentSpec, until: number): WorkOutcome {
  const at = new Date(until).toISOString();
  const detail = `${spec.kind} is rate-limited until ${at}; not started`;
  return {
    kind: "failed",
    error: { kind: "rate-limited", until: at, detail },
    usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
  };
}

/** Feeds the breaker: a stated reset time opens it until then; auth and limits count as failures. */
function noteOutcome(breaker: CircuitBreaker, outcome: WorkOutcome): void {
  if (outcome.kind !== "failed") return breaker.recordSuccess();
  const error = outcome.error;
  if (error.kind === "rate-limited" && error.until !== undefined) {
    breaker.openUntilTime(Date.parse(error.until));
  } else if (error.kind === "rate-limited" || error.kind === "auth") {
    breaker.recordFailure();
  }
}

/** Refuses to start when the budget is already spent: a CLI run cannot be stopped per call. */
export function budgetSpent(request: WorkRequest): boolean {
  return (
    (request.budget.taskUsd !== undefined && request.budget.taskUsd <= 0) ||
    (request.budget.runUsdLeft !== undefined && request.budget.runUsdLeft <= 0)
  );
}

/** Runs the CLI once: on the task, or with `review` a read-only review (agents/review/cli-reviewer.ts). */
export async function runCli(
  spec: AgentSpec,
  driver: CliDriver,
  request: WorkRequest,
  options: AgentOptions,
  review?: string,
): Promise<WorkOutcome> {
  const env = options.env ?? process.env;
  const emit = options.onEvent ?? (() => undefined);
  const secrets = secretValues(env);
  const zero: Usage = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  if (budgetSpent(request))
    return {
      kind: "failed",
      error: {
        kind: "budget-exceeded",
        detail: "no budget left before starting the CLI",
      },
      usage: zero,
    };
  const timeoutMs = request.budget.timeoutMs ?? spec.timeout;
  const started = performance.now();
  let result;
  const pending: PendingTools = new Map();
  const onLine = (line: string) => {
    emit({
      type: "output",
      agent: spec.name,
      stream: "stdout",
      text: redact(line, secrets),
    });
    for (const t of driver.toolEvents?.(line, pending, performance.now()) ??
      []) {
      emit({
        type: "tool-call",
        agent: spec.name,
        tool: t.tool,
        ok: t.ok,
        ms: t.ms,
      });
    }
  };
  const prompt = review ?? buildTaskPrompt(request);
  const args = review === undefined ? driver.args : driver.reviewArgs;
  emit({ type: "prompt", agent: spec.name, text: prompt });
  const childEnv = { ...cliEnv(spec, env), ...driver.env?.(spec, env) };
  try {
    // In an agent process the CLI runs in the agent's sandbox like any command the agent runs.
    const confine = isSandboxed()
      ? await withModelBridge(
          await cliConfinement(
            spec,
            driver.binary,
            childEnv,
            review !== undefined,
          ),
        )
      : undefined;
    result = await runCliProcess(
      driver.binary,
      (args ?? driver.args)(
        prompt,
        { ...spec, maxTurns: request.budget.maxTurns ?? spec.maxTurns },
        confine !== undefined,
      ),
      {
        cwd: request.workspaceDir,
        env: childEnv,
        extendEnv: false,
        ...(confine !== undefined ? { confine } : {}),
        timeoutMs,
        signal: request.signal,
        maxOutputBytes: MAX_OUTPUT_BYTES,
      },
      onLine,
    );
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const missing = e.code === "ENOENT" || /ENOENT/.test(e.message ?? "");
    const what = missing
      ? `'${driver.binary}' was not found on PATH.`
      : (e.message ?? String(error));
    const detail = `${what} ${KIND_INFO[spec.kind].install ?? ""}`.trim();
    return {
      kind: "failed",
      error: { kind: "crashed", detail: redact(detail, secrets) },
      usage: zero,
    };
  }
  const ms = Math.round(performance.now() - started);
  if (result.stderr.trim() !== "")
    emit({
      type: "output",
      agent: spec.name,
      stream: "stderr",
      text: redact(result.stderr, secrets),
    });
  const first = driver.parse(result.stdout, result.stderr, result.exitCode);
  const parsed = (await driver.session?.(first, childEnv)) ?? first;
  for (const t of parsed.toolCalls ?? [])
    emit({ type: "tool-call", agent: spec.name, ...t });
  const priced = priceCliRun(
    parsed,
    spec,
    spec.model ?? driver.defaultModel ?? `${driver.binary} default`,
    options.prices ?? DEFAULT_PRICES,
  );
  const usage: Usage = {
    calls: priced.models.reduce((n, m) => n + m.requests, 0),
    inputTokens: parsed.inputTokens,
    outputTokens: parsed.outputTokens,
    costUsd: priced.costUsd,
  };
  const outcome = toOutcome(parsed, usage, result, timeoutMs, secrets);
  // One event per model: each priced at its own rates, `requests` counting its API calls.
  for (const m of priced.models)
    emit({
      type: "model-call",
      agent: spec.name,
      provider: spec.kind,
      model: m.model,
      ok: outcome.kind !== "failed",
      requests: m.requests,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      cacheReadTokens: m.cacheReadTokens ?? 0,
      cacheWriteTokens: m.cacheWriteTokens ?? 0,
      costUsd: m.costUsd,
      priced: m.basis,
      latencyMs: ms,
    });
  if (outcome.kind === "failed" && outcome.error.kind === "rate-limited")
    emit({
      type: "rate-limited",
      agent: spec.name,
      provider: spec.kind,
      ...(outcome.error.until ? { until: outcome.error.until } : {}),
    });
  emit({
    type: "cli-run",
    agent: spec.name,
    command: driver.binary,
    exitCode: result.exitCode,
    ms,
    outcome: outcome.kind,
  });
  return outcome;
}

function toOutcome(
  parsed: CliResult,
  usage: Usage,
  run: { timedOut: boolean; aborted: boolean },
  timeoutMs: number,
  secrets: SecretList,
): WorkOutcome {
  if (run.aborted) return { kind: "failed", error: { kind: "aborted" }, usage };
  if (run.timedOut)
    return {
      kind: "failed",
      error: { kind: "timed-out", detail: `killed after ${timeoutMs} ms` },
      usage,
    };
  const v = parsed.verdict;
  if (v.kind === "finished")
    return { kind: "finished", summary: redact(v.summary, secrets), usage };
  if (v.kind === "gave-up")
    return { kind: "gave-up", reason: redact(v.reason, secrets), usage };
  return { kind: "failed", error: redactFailure(v.error, secrets), usage };
}

/** A failure with secret values removed from its detail. */
export function redactFailure(
  error: AgentFailure,
  secrets: SecretList,
): AgentFailure {
  return "detail" in error && typeof error.detail === "string"
    ? ({ ...error, detail: redact(error.detail, secrets) } as AgentFailure)
    : error;
}

/**
 * The env a vendor CLI runs with: everything but secrets, plus its own credentials (it needs its
 * key or login, and its tool processes will see them) and the spec's `passEnv`.
 */
export function cliEnv(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const own = KIND_INFO[spec.kind].cliSecrets ?? [];
  const allow = [
    ...own,
    ...spec.passEnv,
    ...(spec.apiKeyEnv ? [spec.apiKeyEnv] : []),
  ];
  return scrubEnv(env, allow);
}
