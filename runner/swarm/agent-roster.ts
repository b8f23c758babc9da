/**
 * Who runs: agents from `--agents`, else from gitswarm.config.yaml, else detected on this machine
 * (API keys, vendor CLIs on PATH, a local OpenAI-compatible server). Each spec's `count` becomes
 * that many named agents, each with its own process and clone.
 */
import {
  configuredKeyNames,
  declareSecretNames,
  defaultSpec,
  loadAgentsConfig,
  parseAgentsFlag,
  type AgentSpec,
} from "../../agents/index.js";
import type { ScriptedSpec } from "../agent/agent-job.js";
import { detectAgents, type Detection } from "./detect-agents.js";
import { UserError } from "../../coordination/base/errors.js";
import { hideSecretsFromEnviron } from "../../coordination/base/own-environ.js";

export interface RosterEntry {
  name: string;
  spec: AgentSpec | ScriptedSpec;
  capabilities: string[];
}

export interface Roster {
  entries: RosterEntry[];
  specs: AgentSpec[];
  /** How the roster was found, for the user. */
  source: "flag" | "config" | "detected";
  detection?: Detection;
}

/** Resolves the roster; throws a UserError that says how to configure agents when there are none. */
export async function resolveRoster(
  repoDir: string,
  agentsFlag: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Roster> {
  const config = await loadAgentsConfig(repoDir);
  // Every configured key is a secret in this process, whatever its name (`apiKeyEnv: DEEPSEEK`).
  declareSecretNames(configuredKeyNames(config.agents ?? []));
  // Names only the config makes secret (`apiKeyEnv: DEEPSEEK`) leave /proc/<pid>/environ now.
  hideSecretsFromEnviron();
  // --agents picks from the configured agents (their baseUrl, model, command, keys) or a kind's defaults.
  if (agentsFlag !== undefined)
    return fromSpecs(parseAgentsFlag(agentsFlag, config.agents ?? []), "flag");
  if (config.agents !== undefined && config.agents.length > 0)
    return fromSpecs(config.agents, "config");
  const detection = await detectAgents(env);
  if (detection.found.length === 0) {
    throw new UserError(
      "no-agents",
      `no agents configured and none found on this machine.\n${detection.hints.join("\n")}\n` +
        `Declare agents in gitswarm.config.yaml (agents:) or pass --agents KIND:COUNT, or try the offline demo: gitswarm run --demo`,
    );
  }
  const specs = detection.found.map((kind) => defaultSpec(kind, kind));
  return { ...fromSpecs(specs, "detected"), detection };
}

/** Expands `count` into named agents: `claude` ×2 → claude-1, claude-2. */
export function expandSpecs(specs: readonly AgentSpec[]): RosterEntry[] {
  return specs.flatMap((spec) =>
    Array.from({ length: spec.count }, (_, i) => ({
      name: spec.count > 1 ? `${spec.name}-${i + 1}` : spec.name,
      spec,
      capabilities: [...spec.capabilities],
    })),
  );
}

function fromSpecs(specs: AgentSpec[], source: Roster["source"]): Roster {
  return { entries: expandSpecs(specs), specs, source };
}
