/**
 * What each agent kind needs by default: its model, the environment variable holding its key, the
 * executable it runs, and how a user installs or fixes it. One table, used by config defaults,
 * agent creation and `gitswarm doctor`.
 */
import type { AgentKind } from "./types.js";

/** Defaults and fix-it text for one kind. */
export interface KindInfo {
  /** Model used when a spec names none (undefined: the CLI's own default). */
  defaultModel?: string;
  /** Env var with the API key. CLI kinds may also be logged in instead. */
  apiKeyEnv?: string;
  /** Executable run by CLI kinds. */
  binary?: string;
  /** The credentials a CLI kind may see; every other secret-looking variable is withheld from it. */
  cliSecrets?: readonly string[];
  install?: string;
  keyHelp?: string;
}

/** The table of kinds. */
export const KIND_INFO: Record<AgentKind, KindInfo> = {
  anthropic: {
    defaultModel: "claude-sonnet-4-6",
    apiKeyEnv: "ANTHROPIC_API_KEY",
    keyHelp: "create a key at https://console.anthropic.com/settings/keys",
  },
  openai: {
    defaultModel: "gpt-5",
    apiKeyEnv: "OPENAI_API_KEY",
    keyHelp:
      "create a key at https://platform.openai.com/api-keys; a local server needs only baseUrl",
  },
  gemini: {
    defaultModel: "gemini-2.5-pro",
    apiKeyEnv: "GEMINI_API_KEY",
    keyHelp: "create a key at https://aistudio.google.com/apikey",
  },
  "claude-code": {
    binary: "claude",
    cliSecrets: [
      "ANTHROPIC_API_KEY",
      "ANTHROPIC_AUTH_TOKEN",
      "CLAUDE_CODE_OAUTH_TOKEN",
    ],
    install:
      "npm install -g @anthropic-ai/claude-code, then run `claude` once to log in (or set ANTHROPIC_API_KEY)",
  },
  codex: {
    binary: "codex",
    cliSecrets: ["OPENAI_API_KEY", "CODEX_API_KEY"],
    install:
      "npm install -g @openai/codex, then run `codex login` (or set OPENAI_API_KEY)",
  },
  "gemini-cli": {
    binary: "gemini",
    cliSecrets: [
      "GEMINI_API_KEY",
      "GOOGLE_API_KEY",
      "GOOGLE_APPLICATION_CREDENTIALS",
    ],
    install:
      "npm install -g @google/gemini-cli, then run `gemini` once to log in (or set GEMINI_API_KEY)",
  },
  aider: {
    binary: "aider",
    // aider reaches many providers through litellm; the common keys are passed, others via passEnv.
    cliSecrets: [
      "ANTHROPIC_API_KEY",
      "OPENAI_API_KEY",
      "GEMINI_API_KEY",
      "DEEPSEEK_API_KEY",
      "OPENROUTER_API_KEY",
    ],
    install:
      "python -m pip install aider-install && aider-install (and set the key for its model, e.g. ANTHROPIC_API_KEY)",
  },
  command: {},
};
