import { describe, expect, it } from "vitest";
import { agentsConfigSchema, parseAgentsFlag } from "../../agents/index.js";
import { parseAgentsConfig } from "../../agents/load-config.js";
import { UserError } from "../../coordination/base/errors.js";

describe("parseAgentsFlag", () => {
  it("turns KIND:COUNT entries into specs with defaults", () => {
    const specs = parseAgentsFlag(
      "claude-code:2, codex:2,gemini-cli:2,anthropic",
    );
    expect(specs.map((s) => [s.name, s.kind, s.count])).toEqual([
      ["claude-code", "claude-code", 2],
      ["codex", "codex", 2],
      ["gemini-cli", "gemini-cli", 2],
      ["anthropic", "anthropic", 1],
    ]);
    expect(specs[0]).toMatchObject({
      capabilities: [],
      maxTurns: 40,
      timeout: 30 * 60_000,
      fallback: [],
    });
  });

  it("names the bad entry and lists the valid kinds", () => {
    expect(() => parseAgentsFlag("claude-code:2,gpt4:1")).toThrow(UserError);
    expect(() => parseAgentsFlag("claude-code:2,gpt4:1")).toThrow(
      /bad entry 'gpt4:1'.*anthropic, openai, gemini, claude-code, codex, gemini-cli, aider, command/,
    );
    expect(() => parseAgentsFlag("codex:0")).toThrow(/bad count in 'codex:0'/);
    expect(() => parseAgentsFlag("codex:1,codex:2")).toThrow(/listed twice/);
    expect(() => parseAgentsFlag("")).toThrow(/empty/);
  });
});

describe("agentsConfigSchema", () => {
  it("parses durations, a single fallback name, and checks fallback targets and unique names", () => {
    const ok = agentsConfigSchema.parse([
      {
        name: "claude",
        kind: "claude-code",
        fallback: "gem",
        timeout: "45m",
        capabilities: ["frontend"],
      },
      { name: "gem", kind: "gemini-cli", timeout: 90 },
    ]);
    expect(ok[0]).toMatchObject({
      fallback: ["gem"],
      timeout: 45 * 60_000,
      capabilities: ["frontend"],
    });
    expect(ok[1]!.timeout).toBe(90_000);
    const bad = agentsConfigSchema.safeParse([
      { name: "a", kind: "codex", fallback: ["nobody"] },
      { name: "a", kind: "codex" },
    ]);
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map(
      (i) => `${i.path.join(".")}: ${i.message}`,
    );
    expect(messages).toContain(
      "0.fallback: unknown agent 'nobody'; declare it in agents: too",
    );
    expect(messages).toContain(
      "1.name: duplicate agent name 'a'; names must be unique",
    );
  });

  it("reports errors from YAML as file:line: agents.N.field: message", () => {
    const text = [
      "agents:",
      "  - name: ok",
      "    kind: codex",
      "  - name: bad",
      "    kind: codex",
      "    timeout: soon",
      "    count: 0",
      "    colour: red",
    ].join("\n");
    let message = "";
    try {
      parseAgentsConfig(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /gitswarm\.config\.yaml:6: agents\.1\.timeout: 'soon' is not a duration/,
    );
    expect(message).toMatch(/gitswarm\.config\.yaml:7: agents\.1\.count: /);
    expect(message).toMatch(
      /gitswarm\.config\.yaml:8: agents\.1\.colour: unknown key 'colour' \(known keys: name, kind, /,
    );
  });

  it("reads a prices override", () => {
    expect(
      parseAgentsConfig(
        "prices:\n  my-model: { inputPerMTok: 1, outputPerMTok: 2 }\n",
      ).prices,
    ).toEqual({ "my-model": { inputPerMTok: 1, outputPerMTok: 2 } });
    expect(() =>
      parseAgentsConfig(
        "prices:\n  m: { inputPerMTok: -1, outputPerMTok: 2 }\n",
      ),
    ).toThrow(/prices\.m\.inputPerMTok/);
  });
});
