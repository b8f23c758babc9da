/**
 * The one factory the runner uses: a spec in, an Agent out, whatever the kind. Fallback chains are
 * wired by {@link createAgents}, which sees every spec and so can resolve fallback names.
 */
import { createApiAgent, type AgentOptions } from "./api-agent.js";
import { BreakerRegistry } from "./providers/circuit-breaker.js";
import type { AgentSpec } from "./config.js";
import { withFallback } from "./providers/fallback.js";
import { configuredKeyNames } from "./secrets.js";
import { createCliAgent } from "./cli/cli-agent.js";
import { createCommandAgent } from "./local/command-agent.js";
import type { Agent } from "./types.js";

export type { AgentOptions } from "./api-agent.js";

/** Creates the agent a spec declares (no fallback; see {@link createAgents}). */
export function createAgent(
  spec: AgentSpec,
  options: AgentOptions = {},
): Agent {
  switch (spec.kind) {
    case "anthropic":
    case "openai":
    case "gemini":
      return createApiAgent(spec, options);
    case "claude-code":
    case "codex":
    case "gemini-cli":
    case "aider":
      return createCliAgent(spec, options);
    case "command":
      return createCommandAgent(spec, options);
  }
}

/**
 * Creates one agent per spec (not per count: the runner makes `count` instances by calling this
 * per instance or by reusing the agent, which is stateless between calls apart from its breaker),
 * each wrapped with its declared fallback chain.
 */
export function createAgents(
  specs: AgentSpec[],
  options: AgentOptions = {},
): Agent[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  // One breaker per endpoint for the whole swarm: when claude is out of quota, every agent knows.
  const shared: AgentOptions = {
    ...options,
    keyNames: [
      ...new Set([...(options.keyNames ?? []), ...configuredKeyNames(specs)]),
    ],
    breakers:
      options.breakers ??
      new BreakerRegistry(
        options.breaker?.threshold,
        options.breaker?.cooldownMs,
      ),
  };
  return specs.map((spec) => {
    const chain = spec.fallback
      .map((name) => byName.get(name))
      .filter((s): s is AgentSpec => s !== undefined);
    const primary = createAgent(spec, shared);
    return chain.length === 0
      ? primary
      : withFallback(
          primary,
          chain.map((s) => createAgent(s, shared)),
          shared.onEvent,
        );
  });
}
