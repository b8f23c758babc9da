/**
 * API agents: a vendor ModelClient driven by the shared tool loop. The agent owns one circuit
 * breaker per provider instance (so it survives across tasks) and reads its key from the env it
 * was given; tool processes get that env with every secret removed.
 */
import {
  BreakerRegistry,
  type CircuitBreaker,
} from "./providers/circuit-breaker.js";
import { modelOf, type AgentSpec } from "./config.js";
import { DEFAULT_PRICES, type PriceTable } from "./spend/cost.js";
import { KIND_INFO } from "./kinds.js";
import { createAnthropicClient } from "./providers/anthropic.js";
import { createGeminiClient } from "./providers/gemini.js";
import type { ModelClient } from "./providers/model-client.js";
import { createOpenAIClient } from "./providers/openai.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./providers/retry.js";
import { scrubEnv, secretValues } from "./secrets.js";
import {
  DEFAULT_LOOP_LIMITS,
  runToolLoop,
  type LoopLimits,
} from "./tool-loop.js";
import {
  emptyUsage,
  type Agent,
  type AgentEvent,
  type WorkRequest,
} from "./types.js";

/** Options shared by every agent constructor. */
export interface AgentOptions {
  /** Where keys are read from and what tool processes start from (scrubbed); default process.env. */
  env?: NodeJS.ProcessEnv;
  prices?: PriceTable;
  onEvent?: (event: AgentEvent) => void;
  /** Retry policy override (tests use short delays). */
  retry?: Partial<RetryPolicy>;
  /** Loop limit overrides (context size, command timeout, tool output size). */
  limits?: Partial<LoopLimits>;
  /**
   * Every key name the config declares (each spec's `apiKeyEnv`); createAgents fills it. Tool,
   * job and command processes never get these, whatever they look like, unless `passEnv` says so.
   */
  keyNames?: readonly string[];
  /** Circuit breaker settings (used when no registry is given). */
  breaker?: { threshold?: number; cooldownMs?: number };
  /** Breakers shared by agents on the same endpoint; createAgents makes one for all its agents. */
  breakers?: BreakerRegistry;
}

/** The breaker an agent uses: shared per vendor endpoint and key through the registry, if any. */
export function breakerFor(
  spec: AgentSpec,
  options: AgentOptions,
): CircuitBreaker {
  const registry =
    options.breakers ??
    new BreakerRegistry(
      options.breaker?.threshold,
      options.breaker?.cooldownMs,
    );
  const endpoint = KIND_INFO[spec.kind].binary ?? spec.baseUrl ?? "default";
  return registry.get(`${spec.kind}|${endpoint}|${spec.apiKeyEnv ?? ""}`);
}

/** Creates the vendor client for an API spec; undefined with a reason when the key is missing. */
export function createModelClient(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
): ModelClient | string {
  const keyEnv = apiKeyEnvOf(spec);
  // Gemini's SDK and CLI also accept GOOGLE_API_KEY.
  const key =
    env[keyEnv] ??
    (spec.kind === "gemini" && spec.apiKeyEnv === undefined
      ? env.GOOGLE_API_KEY
      : undefined);
  const model = modelOf(spec) ?? "";
  // A local OpenAI-compatible server usually needs no key; the SDK still wants a non-empty one.
  const apiKey =
    key ??
    (spec.kind === "openai" && spec.baseUrl !== undefined
      ? "not-needed"
      : undefined);
  if (apiKey === undefined || apiKey === "") return `${keyEnv} is not set`;
  const common = {
    model,
    apiKey,
    ...(spec.baseUrl !== undefined ? { baseUrl: spec.baseUrl } : {}),
  };
  if (spec.kind === "anthropic") return createAnthropicClient(common);
  if (spec.kind === "openai") return createOpenAIClient(common);
  return createGeminiClient(common);
}

/** The configured key names a spec's processes must not get: all but those its `passEnv` names. */
export function dropUnlessPassed(
  keyNames: readonly string[] | undefined,
  passEnv: readonly string[],
): string[] {
  return (keyNames ?? []).filter((name) => !passEnv.includes(name));
}

/** The env var an API spec reads its key from. */
export function apiKeyEnvOf(spec: AgentSpec): string {
  return spec.apiKeyEnv ?? KIND_INFO[spec.kind].apiKeyEnv ?? "";
}

/** An agent of kind anthropic, openai or gemini. A missing key is an `auth` failure of each attempt. */
export function createApiAgent(
  spec: AgentSpec,
  options: AgentOptions = {},
): Agent {
  const env = options.env ?? process.env;
  const client = createModelClient(spec, env);
  const breaker = breakerFor(spec, options);
  const emit = options.onEvent ?? (() => undefined);
  return {
    name: spec.name,
    kind: spec.kind,
    async work(request: WorkRequest) {
      if (typeof client === "string")
        return {
          kind: "failed",
          error: { kind: "auth", detail: client },
          usage: emptyUsage(),
        };
      const budget = {
        ...request.budget,
        taskUsd: request.budget.taskUsd ?? spec.budgetUsd,
        maxTurns: request.budget.maxTurns ?? spec.maxTurns,
        timeoutMs: request.budget.timeoutMs ?? spec.timeout,
      };
      const call = {
        agent: spec.name,
        client,
        prices: options.prices ?? DEFAULT_PRICES,
        retry: { ...DEFAULT_RETRY, ...options.retry },
        breaker,
        secrets: secretValues(env, [
          apiKeyEnvOf(spec),
          ...(options.keyNames ?? []),
        ]),
        emit,
      };
      return runToolLoop(
        { ...request, budget },
        call,
        { ...DEFAULT_LOOP_LIMITS, ...options.limits },
        scrubEnv(env, spec.passEnv, [
          apiKeyEnvOf(spec),
          ...dropUnlessPassed(options.keyNames, spec.passEnv),
        ]),
      );
    },
  };
}
