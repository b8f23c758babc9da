/** The table of vendor CLIs: executable, argument builder, output parser and pricing model. */
import type { AgentSpec } from "../config.js";
import { aiderArgs, parseAider } from "./aider.js";
import {
  claudeCodeArgs,
  claudeCodeEnv,
  claudeCodeReviewArgs,
  parseClaudeCode,
} from "./claude-code.js";
import type { CliResult } from "./cli-result.js";
import { codexArgs, codexReviewArgs, parseCodex } from "./codex.js";
import { withCodexSession } from "./codex-session.js";
import {
  geminiCliArgs,
  geminiCliEnv,
  geminiCliReviewArgs,
  parseGeminiCli,
} from "./gemini-cli.js";
import {
  claudeToolEvents,
  codexToolEvents,
  type CliToolEvent,
  type PendingTools,
} from "./tool-events.js";

/** How to run and read one vendor CLI. */
export interface CliDriver {
  binary: string;
  /** `confined`: the CLI runs in gitswarm's sandbox (a CLI that sandboxes itself may then skip it). */
  args(prompt: string, spec: AgentSpec, confined: boolean): string[];
  /** The arguments of a read-only review whose final text is the verdict; absent: it cannot review. */
  reviewArgs?: (prompt: string, spec: AgentSpec, confined: boolean) => string[];
  /**
   * Variables the CLI needs set beyond the scrubbed environment (its endpoint for `baseUrl`, its key
   * from the spec's `apiKeyEnv`, headless switches), read from the runner's `env`.
   */
  env?: (spec: AgentSpec, env: NodeJS.ProcessEnv) => Record<string, string>;
  parse(stdout: string, stderr: string, exitCode: number | null): CliResult;
  /** Completes a parsed run from what the CLI wrote besides its output (codex's session log). */
  session?: (
    result: CliResult,
    env: Record<string, string | undefined>,
  ) => Promise<CliResult>;
  /**
   * The model priced when neither the spec nor the output names one; none where the CLI's default
   * is not knowable (the run is then priced at the vendor's highest rates).
   */
  defaultModel?: string;
  /** Live tool calls from one stdout line, for CLIs that stream events. */
  toolEvents?: (
    line: string,
    pending: PendingTools,
    now: number,
  ) => CliToolEvent[];
}

/** The drivers of the CLI kinds. */
export const CLI_DRIVERS: Record<
  "claude-code" | "codex" | "gemini-cli" | "aider",
  CliDriver
> = {
  "claude-code": {
    binary: "claude",
    args: claudeCodeArgs,
    reviewArgs: claudeCodeReviewArgs,
    env: claudeCodeEnv,
    parse: parseClaudeCode,
    toolEvents: claudeToolEvents,
    defaultModel: "claude-sonnet-4-6",
  },
  codex: {
    binary: "codex",
    args: codexArgs,
    reviewArgs: codexReviewArgs,
    parse: parseCodex,
    session: withCodexSession,
    toolEvents: codexToolEvents,
  },
  "gemini-cli": {
    binary: "gemini",
    args: geminiCliArgs,
    reviewArgs: geminiCliReviewArgs,
    env: geminiCliEnv,
    parse: parseGeminiCli,
  },
  aider: {
    binary: "aider",
    args: aiderArgs,
    parse: parseAider,
    defaultModel: "claude-sonnet-4-6",
  },
};
