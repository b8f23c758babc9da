/** With no agents configured: what can this machine run? Keys, CLIs on PATH, a local model server. */
import { access } from "node:fs/promises";
import path from "node:path";
import type { AgentSpec } from "../../agents/index.js";

export interface Detection {
  found: AgentSpec["kind"][];
  /** One line per kind not found, saying how to enable it. */
  hints: string[];
  localServer?: string;
}

const KEYS: [AgentSpec["kind"], string[]][] = [
  ["anthropic", ["ANTHROPIC_API_KEY"]],
  ["openai", ["OPENAI_API_KEY"]],
  ["gemini", ["GEMINI_API_KEY", "GOOGLE_API_KEY"]],
];
const CLIS: [AgentSpec["kind"], string][] = [
  ["claude-code", "claude"],
  ["codex", "codex"],
  ["gemini-cli", "gemini"],
  ["aider", "aider"],
];
const LOCAL_SERVERS = [
  "http://127.0.0.1:11434/v1",
  "http://127.0.0.1:1234/v1",
  "http://127.0.0.1:8000/v1",
];

/** Looks for API keys, vendor CLIs on PATH and a local OpenAI-compatible server (Ollama, LM Studio, vLLM). */
export async function detectAgents(env: NodeJS.ProcessEnv): Promise<Detection> {
  const found: AgentSpec["kind"][] = [];
  const hints: string[] = [];
  for (const [kind, vars] of KEYS) {
    if (vars.some((v) => (env[v] ?? "") !== "")) found.push(kind);
    else hints.push(`  ${kind}: set ${vars.join(" or ")}`);
  }
  for (const [kind, bin] of CLIS) {
    if (await onPath(bin, env.PATH ?? "")) found.push(kind);
    else hints.push(`  ${kind}: install the '${bin}' CLI`);
  }
  const localServer = await findLocalServer();
  if (localServer)
    hints.push(
      `  a local OpenAI-compatible server answers at ${localServer}: add an agent with kind: openai, baseUrl: ${localServer}`,
    );
  else
    hints.push(
      "  local model: start Ollama, LM Studio or vLLM and declare it with kind: openai and baseUrl",
    );
  return { found, hints, localServer };
}

async function onPath(bin: string, pathVar: string): Promise<boolean> {
  for (const dir of pathVar.split(path.delimiter).filter(Boolean)) {
    if (
      await access(path.join(dir, bin)).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

async function findLocalServer(): Promise<string | undefined> {
  for (const base of LOCAL_SERVERS) {
    const ok = await fetch(`${base}/models`, {
      signal: AbortSignal.timeout(300),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return base;
  }
  return undefined;
}
