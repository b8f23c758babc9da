/**
 * Reads the `agents:` (and `prices:`) sections of `<repo>/gitswarm.config.yaml` and validates them
 * with this layer's schemas, reporting `gitswarm.config.yaml:LINE: agents.0.kind: message`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { UserError } from "../coordination/base/errors.js";
import { agentsConfigSchema, type AgentSpec } from "./config.js";
import { pricesSchema, type PriceTable } from "./cost.js";

const FILE = "gitswarm.config.yaml";

/** The agent sections of a config; `agents` is undefined when the file or section is absent. */
export interface AgentsConfig {
  agents?: AgentSpec[];
  prices?: PriceTable;
}

/** Loads the agent sections of the repo's config; throws UserError (exit 2) when they are invalid. */
export async function loadAgentsConfig(repoDir: string): Promise<AgentsConfig> {
  let text: string;
  try {
    text = await readFile(path.join(repoDir, FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new UserError(
      "bad-config",
      `cannot read ${path.join(repoDir, FILE)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseAgentsConfig(text);
}

/** Parses config text for its agent sections (pure; the file name only labels errors). */
export function parseAgentsConfig(text: string, file = FILE): AgentsConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new UserError(
      "bad-config",
      `${file}:${first?.linePos?.[0]?.line ?? 1}: ${first?.message.split("\n")[0]} (fix the YAML syntax)`,
    );
  }
  const root = (doc.toJS() ?? {}) as Record<string, unknown>;
  const out: AgentsConfig = {};
  if (root.agents !== undefined)
    out.agents = validate(
      agentsConfigSchema,
      root.agents,
      "agents",
      doc,
      lineCounter,
      file,
    );
  if (root.prices !== undefined)
    out.prices = validate(
      pricesSchema,
      root.prices,
      "prices",
      doc,
      lineCounter,
      file,
    );
  return out;
}

function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  key: string,
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  file: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    const issuePath = [
      key,
      ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    ];
    // The deepest node that exists (a missing key has no node of its own).
    let at = "";
    for (let n = issuePath.length; n > 0 && at === ""; n--) {
      const node = doc.getIn(issuePath.slice(0, n), true) as
        { range?: [number] } | undefined;
      if (node?.range) at = `:${lines.linePos(node.range[0]).line}`;
    }
    return `${file}${at}: ${issuePath.join(".")}: ${issue.message}`;
  });
  throw new UserError("bad-config", messages.join("\n"));
}
