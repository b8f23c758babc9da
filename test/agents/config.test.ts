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
      /'gpt4:1' is neither a kind nor a configured agent.*anthropic, openai, gemini, claude-code, codex, gemini-cli, aider, command/,
    );
    expect(() => parseAgentsFlag("cdoex:1")).toThrow(/did you mean 'codex'\?/);
    expect(() => parseAgentsFlag("codex:0")).toThrow(/bad count in 'codex:0'/);
    expect(() => parseAgentsFlag("codex:1,codex:2")).toThrow(/listed twice/);
    expect(() => parseAgentsFlag("")).toThrow(/empty/);
  });
});

describe("parseAgentsFlag with configured agents (issue 23)", () => {
  const configured = agentsConfigSchema.parse([
    {
      name: "local-codex",
      kind: "codex",
      model: "gpt-5",
      baseUrl: "http://127.0.0.1:9999/v1",
      apiKeyEnv: "MY_KEY",
      count: 3,
    },
    { name: "cmd", kind: "command", command: "./agent.sh" },
    { name: "g1", kind: "gemini-cli" },
    { name: "g2", kind: "gemini-cli", model: "gemini-2.5-pro" },
  ]);

  it("KIND:N picks the configured agent of that kind, keeping its settings, with the new count", () => {
    const [codex] = parseAgentsFlag("codex:1", configured);
    expect(codex).toMatchObject({
      name: "local-codex",
      baseUrl: "http://127.0.0.1:9999/v1",
      model: "gpt-5",
      apiKeyEnv: "MY_KEY",
      count: 1,
    });
  });

  it("NAME:N picks a configured agent by name; a bare NAME keeps its configured count", () => {
    expect(parseAgentsFlag("cmd:2", configured)).toMatchObject([
      { name: "cmd", kind: "command", command: "./agent.sh", count: 2 },
    ]);
    expect(parseAgentsFlag("local-codex", configured)).toMatchObject([
      { name: "local-codex", count: 3 },
    ]);
    expect(parseAgentsFlag("command:1", configured)).toMatchObject([
      { name: "cmd", command: "./agent.sh", count: 1 },
    ]);
  });

  it("a bare KIND picks every configured agent of it; KIND:N with several asks for names", () => {
    expect(
      parseAgentsFlag("gemini-cli", configured).map((s) => s.name),
    ).toEqual(["g1", "g2"]);
    expect(() => parseAgentsFlag("gemini-cli:2", configured)).toThrow(
      /2 configured agents are of kind gemini-cli \(g1, g2\).*--agents g1:1,g2:1/,
    );
  });

  it("a kind with nothing configured gets its defaults; a command agent is refused with the fix", () => {
    expect(parseAgentsFlag("claude-code:2", configured)).toMatchObject([
      { name: "claude-code", kind: "claude-code", count: 2 },
    ]);
    expect(() => parseAgentsFlag("command:1")).toThrow(
      /a command agent needs the command it runs[\s\S]*kind: command\n\s+command: [\s\S]*--agents cmd:1/,
    );
    expect(() => parseAgentsFlag("cmd:1,command:1", configured)).toThrow(
      /listed twice/,
    );
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
