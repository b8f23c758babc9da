/** The vendor CLI drivers' arguments and environment, on plain data (the real CLIs' flags). */
import { describe, expect, it } from "vitest";
import { defaultSpec } from "../../agents/index.js";
import { claudeCodeArgs, claudeCodeEnv } from "../../agents/cli/claude-code.js";
import { codexArgs } from "../../agents/cli/codex.js";
import { geminiCliArgs, geminiCliEnv } from "../../agents/cli/gemini-cli.js";

describe("CLI driver arguments and environment", () => {
  it("claude: print mode with stream-json; baseUrl and a custom key variable become claude's own names", () => {
    const spec = defaultSpec("claude-code", "c", {
      baseUrl: "http://127.0.0.1:9/",
      apiKeyEnv: "MY_ANTHROPIC",
    });
    expect(claudeCodeArgs("do it", spec)).toEqual([
      "-p",
      "do it",
      "--output-format",
      "stream-json",
      "--verbose",
      "--dangerously-skip-permissions",
      "--max-turns",
      "40",
    ]);
    expect(claudeCodeEnv(spec, { MY_ANTHROPIC: "k-1" })).toEqual({
      ANTHROPIC_BASE_URL: "http://127.0.0.1:9/",
      ANTHROPIC_API_KEY: "k-1",
    });
    expect(claudeCodeEnv(defaultSpec("claude-code", "c"), {})).toEqual({});
  });

  it("codex 0.169: no --full-auto; a workspace-write sandbox, no approvals; a baseUrl is an HTTP Responses provider", () => {
    const plain = codexArgs("p", defaultSpec("codex", "x"));
    expect(plain).not.toContain("--full-auto");
    expect(plain.slice(0, 7)).toEqual([
      "exec",
      "--json",
      "--sandbox",
      "workspace-write",
      "-c",
      'approval_policy="never"',
      "--skip-git-repo-check",
    ]);
    expect(plain.at(-1)).toBe("p");
    // In gitswarm's sandbox codex's own nested bubblewrap cannot start: the outer one confines it.
    expect(codexArgs("p", defaultSpec("codex", "x"), true)[3]).toBe(
      "danger-full-access",
    );
    const custom = codexArgs(
      "p",
      defaultSpec("codex", "x", {
        baseUrl: "http://127.0.0.1:9/v1",
        model: "gpt-5",
      }),
    );
    expect(custom).toEqual(
      expect.arrayContaining([
        'model_provider="gitswarm"',
        'model_providers.gitswarm.base_url="http://127.0.0.1:9/v1"',
        'model_providers.gitswarm.env_key="OPENAI_API_KEY"',
        'model_providers.gitswarm.wire_api="responses"',
        "--model",
        "gpt-5",
      ]),
    );
  });

  it("gemini: --yolo in a trusted workspace (else the CLI drops it); baseUrl is GOOGLE_GEMINI_BASE_URL", () => {
    const spec = defaultSpec("gemini-cli", "g", {
      baseUrl: "http://127.0.0.1:9",
      model: "gemini-2.5-pro",
    });
    expect(geminiCliArgs("p", spec)).toEqual([
      "-p",
      "p",
      "--output-format",
      "json",
      "--yolo",
      "--model",
      "gemini-2.5-pro",
    ]);
    expect(geminiCliEnv(spec, {})).toEqual({
      GEMINI_CLI_TRUST_WORKSPACE: "true",
      GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:9",
    });
  });
});
