/**
 * The agent that makes the coalescer's one code cleanup: the configured agent `coalesce.agent`
 * names (by name or kind), else the first of `agents:`; none when the config has no agents.
 */
import { createAgents } from "../../agents/create-agent.js";
import { mergePrices } from "../../agents/spend/cost.js";
import { loadAgentsConfig } from "../../agents/load-config.js";
import { createScriptedAgent } from "../../agents/local/scripted-agent.js";
import type { Agent, AgentEvent } from "../../agents/types.js";
import { UserError } from "../../coordination/base/errors.js";
import type { CoalesceConfig } from "./config.js";
import { locateConfigValue } from "./config.js";
import type { RosterEntry } from "../swarm/agent-roster.js";

/** Creates the cleanup agent from the repo's config; UserError when `coalesce.agent` names none. */
export async function createCoalesceAgent(
  repoDir: string,
  config: CoalesceConfig,
  options: {
    env?: NodeJS.ProcessEnv;
    onEvent?: (event: AgentEvent) => void;
  } = {},
): Promise<Agent | undefined> {
  const { agents = [], prices } = await loadAgentsConfig(repoDir);
  const wanted = config.agent;
  const spec =
    wanted === undefined
      ? agents[0]
      : (agents.find((a) => a.name === wanted) ??
        agents.find((a) => a.kind === wanted));
  if (spec === undefined) {
    if (wanted === undefined) return undefined;
    const at = await locateConfigValue(repoDir, ["coalesce", "agent"]);
    const known = agents.map((a) => a.name).join(", ") || "none";
    throw new UserError(
      "bad-config",
      `${at}: coalesce.agent '${wanted}' names no agent in agents: (configured: ${known}); name one of them or add it`,
    );
  }
  const [agent] = createAgents([{ ...spec, count: 1 }], {
    env: options.env ?? process.env,
    prices: mergePrices(prices),
    onEvent: options.onEvent,
  });
  return agent;
}

/**
 * The cleanup agent inside `gitswarm run`: the roster entry `coalesce.agent` names (by name or
 * kind), else the first; made in the runner's process (a scripted demo agent applies its prepared
 * `swarm-coalesce/` change). Undefined for an empty roster.
 */
export function createRunCoalesceAgent(
  roster: readonly RosterEntry[],
  config: CoalesceConfig,
  onEvent?: (event: AgentEvent) => void,
): Agent | undefined {
  const wanted = config.agent;
  const entry =
    wanted === undefined
      ? roster[0]
      : roster.find((e) => e.name === wanted || e.spec.kind === wanted);
  if (entry === undefined) return undefined;
  const spec = entry.spec;
  if (spec.kind === "scripted")
    return createScriptedAgent("coalescer", spec.scriptDir, { thinkMs: 0 });
  const [agent] = createAgents([{ ...spec, count: 1 }], {
    env: process.env,
    prices: mergePrices(undefined),
    onEvent,
  });
  return agent;
}
