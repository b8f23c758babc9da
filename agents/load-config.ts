/**
 * Reads the `agents:` (and `prices:`) sections of `<repo>/gitswarm.config.yaml` and validates them
 * with this layer's schemas, reporting `gitswarm.config.yaml:LINE: agents.0.kind: message`.
 */
import {
  CONFIG_FILE,
  parseConfigDocument,
  readConfigText,
  validateSection,
} from "../coordination/base/config-file.js";
import { agentsConfigSchema, type AgentSpec } from "./config.js";
import { pricesSchema, type PriceTable } from "./spend/cost.js";

/** The agent sections of a config; `agents` is undefined when the file or section is absent. */
export interface AgentsConfig {
  agents?: AgentSpec[];
  prices?: PriceTable;
}

/** Loads the agent sections of the repo's config; throws UserError (exit 2) when they are invalid. */
export async function loadAgentsConfig(repoDir: string): Promise<AgentsConfig> {
  const text = await readConfigText(repoDir);
  return text === undefined ? {} : parseAgentsConfig(text);
}

/** Parses config text for its agent sections (pure; the file name only labels errors). */
export function parseAgentsConfig(
  text: string,
  file = CONFIG_FILE,
): AgentsConfig {
  const doc = parseConfigDocument(text, file);
  const out: AgentsConfig = {};
  if (doc.root.agents !== undefined)
    out.agents = validateSection(doc, agentsConfigSchema, doc.root.agents, [
      "agents",
    ]);
  if (doc.root.prices !== undefined)
    out.prices = validateSection(doc, pricesSchema, doc.root.prices, [
      "prices",
    ]);
  return out;
}
