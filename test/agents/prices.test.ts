/**
 * Issue 23: prices per model with cache rates, the model each call really used, unknown models
 * never $0 under a known vendor, and CLI runs priced model by model. Plain data in, dollars out.
 */
import { describe, expect, it } from "vitest";
import { parseClaudeCode } from "../../agents/cli/claude-code.js";
import { priceCliRun } from "../../agents/cli/cli-cost.js";
import { parseCodexSession } from "../../agents/cli/codex-session.js";
import { parseGeminiCli } from "../../agents/cli/gemini-cli.js";
import { defaultSpec } from "../../agents/config.js";
import {
  DEFAULT_PRICES,
  findPrice,
  mergePrices,
  priceCall,
} from "../../agents/spend/cost.js";
import {
  unknownModelWarning,
  vendorOfAgent,
} from "../../agents/spend/model-usage.js";
import { PRICE_LIST } from "../../agents/spend/price-list.js";

const M = 1_000_000;

describe("the price list", () => {
  it("is dated data with a cache-read rate for every model, below its input rate", () => {
    for (const entry of PRICE_LIST) {
      expect(entry.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.cacheRead).toBeLessThan(entry.input);
    }
  });

  it("matches a family at a '-', '@' or ':' boundary only, after a provider/ prefix", () => {
    expect(findPrice("claude-sonnet-4-5-20250929", DEFAULT_PRICES)).toBe(
      DEFAULT_PRICES["claude-sonnet-4"],
    );
    expect(findPrice("anthropic/claude-haiku-4-5", DEFAULT_PRICES)).toBe(
      DEFAULT_PRICES["claude-haiku-4-5"],
    );
    expect(findPrice("gpt-5-codex", DEFAULT_PRICES)).toBe(
      DEFAULT_PRICES["gpt-5"],
    );
    // Not gpt-5: a later version may cost more.
    expect(findPrice("gpt-5.2", DEFAULT_PRICES)).toBeUndefined();
    expect(findPrice("gemini-3.1-pro-preview", DEFAULT_PRICES)).toBeUndefined();
  });
});

describe("priceCall", () => {
  it("charges cached input at each vendor's cache rates", () => {
    const tokens = {
      inputTokens: 3 * M,
      cacheReadTokens: M,
      cacheWriteTokens: M,
      outputTokens: M,
    };
    // Anthropic: 1M fresh at $3, 1M read at $0.30, 1M written at $3.75, 1M out at $15.
    expect(priceCall("claude-sonnet-4-6", tokens, DEFAULT_PRICES)).toEqual({
      costUsd: 3 + 0.3 + 3.75 + 15,
      basis: "listed",
    });
    // OpenAI cached input: a tenth of gpt-5's input rate.
    expect(
      priceCall(
        "gpt-5",
        { inputTokens: 2 * M, cacheReadTokens: M, outputTokens: 0 },
        DEFAULT_PRICES,
      ).costUsd,
    ).toBe(1.25 + 0.125);
    expect(
      priceCall(
        "gemini-2.5-pro",
        { inputTokens: M, cacheReadTokens: M, outputTokens: 0 },
        DEFAULT_PRICES,
      ).costUsd,
    ).toBe(0.125);
  });

  it("prices an unknown model of a known vendor at that vendor's highest rates, never $0", () => {
    const tokens = { inputTokens: M, outputTokens: M };
    const gemini = priceCall("gemini-3.1-pro-preview", tokens, DEFAULT_PRICES);
    expect(gemini).toEqual({ costUsd: 2 + 12, basis: "vendor-max" });
    // Named like no vendor, but run by codex: OpenAI's highest rates.
    const codex = priceCall("sol-1", tokens, DEFAULT_PRICES, "openai");
    expect(codex.basis).toBe("vendor-max");
    expect(codex.costUsd).toBeGreaterThan(0);
    // A local model of no known vendor is free unless the config prices it.
    expect(priceCall("llama3.1:8b", tokens, DEFAULT_PRICES)).toEqual({
      costUsd: 0,
      basis: "unpriced",
    });
    const configured = mergePrices({
      "gemini-3.1-pro": { inputPerMTok: 2.5, outputPerMTok: 15 },
    });
    expect(priceCall("gemini-3.1-pro-preview", tokens, configured)).toEqual({
      costUsd: 17.5,
      basis: "listed",
    });
  });

  it("says which models are unpriced and how to price them", () => {
    expect(
      unknownModelWarning("gpt-5", DEFAULT_PRICES, "openai"),
    ).toBeUndefined();
    expect(
      unknownModelWarning("gemini-3.5-flash-lite", DEFAULT_PRICES, "google"),
    ).toMatch(
      /not in the price table: priced at google's highest rates.*prices:/,
    );
    expect(
      unknownModelWarning("qwen3-coder", DEFAULT_PRICES, undefined),
    ).toMatch(/counted as \$0 \(a --budget will not limit it\)/);
    expect(vendorOfAgent(defaultSpec("codex", "c"))).toBe("openai");
    expect(
      vendorOfAgent({ kind: "openai", baseUrl: "http://localhost:11434/v1" }),
    ).toBeUndefined();
  });
});

describe("CLI runs priced model by model", () => {
  it("gemini-cli: the router and the main model each at their own rates, cache at cache rates", () => {
    const out = JSON.stringify({
      response: "Done.",
      stats: {
        models: {
          "gemini-2.5-flash-lite": {
            api: { totalRequests: 1 },
            tokens: { prompt: 1000, candidates: 10, cached: 0 },
          },
          "gemini-2.5-pro": {
            api: { totalRequests: 2 },
            tokens: { prompt: 3200, candidates: 120, cached: 500, thoughts: 7 },
          },
        },
      },
    });
    const parsed = parseGeminiCli(out, "", 0);
    expect(parsed).toMatchObject({ calls: 3, model: "gemini-2.5-pro" });
    const spec = defaultSpec("gemini-cli", "g");
    const run = priceCliRun(parsed, spec, "gemini default", DEFAULT_PRICES);
    const lite = (1000 * 0.1 + 10 * 0.4) / M;
    const pro = (2700 * 1.25 + 500 * 0.125 + 127 * 10) / M;
    // Rounded to a micro-dollar, as every cost is.
    expect(run.models.map((m) => [m.model, m.requests])).toEqual([
      ["gemini-2.5-flash-lite", 1],
      ["gemini-2.5-pro", 2],
    ]);
    expect(run.models[0]?.costUsd).toBeCloseTo(lite, 5);
    expect(run.models[1]?.costUsd).toBeCloseTo(pro, 5);
    expect(run.costUsd).toBeCloseTo(lite + pro, 5);
  });

  it("codex: the session log names the model of each response and counts requests", () => {
    const log = [
      {
        type: "turn_context",
        payload: { turn_id: "t1", model: "gpt-5.1-codex" },
      },
      {
        type: "token_usage_record",
        payload: {
          turn_id: "t1",
          usage: {
            input_tokens: 1200,
            cached_input_tokens: 0,
            output_tokens: 80,
          },
        },
      },
      {
        type: "token_usage_record",
        payload: {
          turn_id: "t1",
          usage: {
            input_tokens: 2000,
            cached_input_tokens: 500,
            output_tokens: 47,
          },
        },
      },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const models = parseCodexSession(log);
    expect(models).toEqual([
      {
        model: "gpt-5.1-codex",
        requests: 2,
        inputTokens: 3200,
        outputTokens: 127,
        cacheReadTokens: 500,
        cacheWriteTokens: 0,
      },
    ]);
  });

  it("claude: modelUsage per model; the CLI's own figure only for a model the table lacks", () => {
    const out = [
      { type: "system", subtype: "init", model: "claude-sonnet-4-5" },
      { type: "assistant", message: { id: "m1", model: "claude-sonnet-4-5" } },
      { type: "assistant", message: { id: "m1", model: "claude-sonnet-4-5" } },
      { type: "assistant", message: { id: "m2", model: "claude-sonnet-4-5" } },
      {
        type: "result",
        subtype: "success",
        is_error: false,
        num_turns: 2,
        result: "ok",
        total_cost_usd: 9,
        usage: { input_tokens: 100, output_tokens: 10 },
        modelUsage: {
          "claude-sonnet-4-5": {
            inputTokens: 100,
            cacheReadInputTokens: 1000,
            cacheCreationInputTokens: 0,
            outputTokens: 10,
            costUSD: 8,
          },
          "claude-mystery-9": { inputTokens: 50, outputTokens: 5, costUSD: 1 },
        },
      },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const parsed = parseClaudeCode(out, "", 0);
    expect(parsed.calls).toBe(3);
    const run = priceCliRun(
      parsed,
      defaultSpec("claude-code", "c"),
      "x",
      DEFAULT_PRICES,
    );
    expect(run.models).toMatchObject([
      {
        model: "claude-sonnet-4-5",
        requests: 2,
        costUsd: (100 * 3 + 1000 * 0.3 + 10 * 15) / M,
        basis: "listed",
      },
      { model: "claude-mystery-9", requests: 1, costUsd: 1, basis: "reported" },
    ]);
  });
});
