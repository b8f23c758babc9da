/**
 * `--agents LIST`, composed with the config's `agents:`. Each entry is `WORD[:COUNT]`: WORD names a
 * configured agent (kept whole: baseUrl, model, command, keys) or a kind, which picks the configured
 * agents of that kind, or, where none is configured, the kind's defaults. COUNT sets how many run.
 * A kind that cannot work on defaults (a `command` agent has no command) is refused with the fix.
 */
import { closestKey } from "../coordination/base/config-file.js";
import { UserError } from "../coordination/base/errors.js";
import { defaultSpec, type AgentSpec } from "./config.js";
import { AgentKinds } from "./types.js";

const ENTRY = /^([A-Za-z0-9][\w.-]*)(?::(\d+))?$/;

/**
 * Parses `--agents` against the configured agents; pure. Throws a UserError (exit 2) naming the
 * entry and the fix: an unknown word (with the closest name or kind), a bad count, a repeat, a
 * kind that matches several configured agents with one count, or a command agent without command.
 */
export function parseAgentsFlag(
  text: string,
  configured: readonly AgentSpec[] = [],
): AgentSpec[] {
  const entries = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const kinds = AgentKinds.join(", ");
  if (entries.length === 0)
    throw usage(`--agents is empty; write KIND:COUNT,... with kinds ${kinds}`);
  const specs: AgentSpec[] = [];
  for (const entry of entries) {
    const match = ENTRY.exec(entry);
    const word = match?.[1] ?? "";
    const count = match?.[2] === undefined ? undefined : Number(match[2]);
    if (count !== undefined && (count < 1 || count > 64))
      throw usage(`--agents: bad count in '${entry}'; use 1 to 64`);
    const picked = pick(word, entry, count, configured);
    for (const spec of picked) {
      if (specs.some((s) => s.name === spec.name))
        throw usage(`--agents: '${word}' is listed twice; give one count`);
      specs.push(spec);
    }
  }
  return specs;
}

function pick(
  word: string,
  entry: string,
  count: number | undefined,
  configured: readonly AgentSpec[],
): AgentSpec[] {
  const withCount = (spec: AgentSpec) =>
    count === undefined ? spec : { ...spec, count };
  const named = configured.find((s) => s.name === word);
  if (named !== undefined) return [withCount(named)];
  if (!(AgentKinds as readonly string[]).includes(word)) {
    const known = [...configured.map((s) => s.name), ...AgentKinds];
    const near = closestKey(word, known);
    throw usage(
      `--agents: '${entry}' is neither a kind nor a configured agent${near ? ` (did you mean '${near}'?)` : ""}; write KIND:COUNT or NAME:COUNT with KIND one of ${AgentKinds.join(", ")}${configured.length > 0 ? ` or NAME one of ${configured.map((s) => s.name).join(", ")}` : ""}`,
    );
  }
  const ofKind = configured.filter((s) => s.kind === word);
  if (ofKind.length === 1 || (ofKind.length > 1 && count === undefined))
    return ofKind.map(withCount);
  if (ofKind.length > 1)
    throw usage(
      `--agents: '${entry}': ${ofKind.length} configured agents are of kind ${word} (${ofKind.map((s) => s.name).join(", ")}); give each its count by name, e.g. --agents ${ofKind.map((s) => `${s.name}:1`).join(",")}`,
    );
  if (word === "command")
    throw usage(
      `--agents: '${entry}': a command agent needs the command it runs, and no agent of kind command is configured. Add one to gitswarm.config.yaml:\n  agents:\n    - name: cmd\n      kind: command\n      command: ./scripts/agent.sh   # your agent's command line\nthen run with --agents cmd:${count ?? 1}`,
    );
  return [defaultSpec(word as AgentSpec["kind"], word, { count: count ?? 1 })];
}

function usage(message: string): UserError {
  return new UserError("usage", message);
}
