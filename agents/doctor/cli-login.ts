/**
 * Whether a vendor CLI has credentials, checked the way the CLI itself finds them: a key in its
 * environment variables, or its own login — asked of the CLI where it can say (`claude auth
 * status`, `codex login status`), read from its credentials file where it cannot (gemini's
 * ~/.gemini/oauth_creds.json). Never prints a key; spends no tokens.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentSpec } from "../config.js";
import { KIND_INFO } from "../kinds.js";

/** What the login check found: how the CLI will authenticate, or what is missing and its fix. */
export type LoginCheck =
  { ok: true; detail: string } | { ok: false; problem: string; fix: string };

/** Runs a program and says whether it exited 0, with its output (doctor-checks' `answers`). */
export type Ask = (
  file: string,
  args: string[],
) => Promise<{ ok: boolean; missing: boolean; output: string }>;

/** Non-key variables that also select working credentials (cloud providers, Google login). */
const OTHER_AUTH: Partial<Record<AgentSpec["kind"], string[]>> = {
  "claude-code": ["CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX"],
  "gemini-cli": [
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_GENAI_USE_GCA",
    "GOOGLE_APPLICATION_CREDENTIALS",
  ],
};

const FIX: Partial<Record<AgentSpec["kind"], string>> = {
  "claude-code":
    "run `claude` once and log in with /login, or export ANTHROPIC_API_KEY=...  (create a key at https://console.anthropic.com/settings/keys)",
  codex:
    "run `codex login`, or export OPENAI_API_KEY=...  (create a key at https://platform.openai.com/api-keys)",
  "gemini-cli":
    "run `gemini` once and sign in with Google, or export GEMINI_API_KEY=...  (create a key at https://aistudio.google.com/apikey)",
  aider: "export the key of aider's model, e.g. ANTHROPIC_API_KEY=...",
};

/** Checks the credentials of a CLI agent (kinds claude-code, codex, gemini-cli, aider). */
export async function checkCliLogin(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
  ask: Ask,
): Promise<LoginCheck> {
  const keys = [
    ...(spec.apiKeyEnv !== undefined ? [spec.apiKeyEnv] : []),
    ...(KIND_INFO[spec.kind].cliSecrets ?? []),
  ];
  const fix = FIX[spec.kind] ?? "set the CLI's API key";
  // A baseUrl endpoint (a gateway, a proxy) is reached with a key, never with a vendor login.
  if (spec.baseUrl !== undefined) {
    const name = spec.apiKeyEnv ?? keys[0] ?? "the API key";
    return set(env, name)
      ? { ok: true, detail: `${name} is set for ${spec.baseUrl}` }
      : {
          ok: false,
          problem: `${name} is not set, and ${spec.baseUrl} (baseUrl) needs a key`,
          fix: `export ${name}=...`,
        };
  }
  const found = [...keys, ...(OTHER_AUTH[spec.kind] ?? [])].find((n) =>
    set(env, n),
  );
  if (found !== undefined) return { ok: true, detail: `${found} is set` };
  const login = await askLogin(spec, env, ask);
  if (login !== undefined) return { ok: true, detail: login };
  return {
    ok: false,
    problem: `not logged in, and none of ${keys.join(", ")} is set`,
    fix,
  };
}

function set(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name];
  return value !== undefined && value !== "";
}

/** The CLI's own login, described, or undefined when it has none. */
async function askLogin(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
  ask: Ask,
): Promise<string | undefined> {
  if (spec.kind === "claude-code") {
    const status = await ask("claude", ["auth", "status"]);
    const method = /"authMethod":\s*"([^"]+)"/.exec(status.output)?.[1];
    return status.ok && /"loggedIn":\s*true/.test(status.output)
      ? `logged in (${method ?? "claude auth status"})`
      : undefined;
  }
  if (spec.kind === "codex") {
    const status = await ask("codex", ["login", "status"]);
    return status.ok
      ? `logged in (${status.output.split("\n").at(-1)})`
      : undefined;
  }
  if (spec.kind === "gemini-cli") {
    const home = env.GEMINI_CLI_HOME ?? env.HOME ?? os.homedir();
    const creds = path.join(home, ".gemini", "oauth_creds.json");
    return existsSync(creds) ? `logged in with Google (${creds})` : undefined;
  }
  return undefined;
}
