import { describe, expect, it } from "vitest";
import {
  checkBudget,
  costOf,
  DEFAULT_PRICES,
  DEFAULT_PRICES_DATE,
  findPrice,
  mergePrices,
} from "../../agents/index.js";
import { CircuitBreaker } from "../../agents/providers/circuit-breaker.js";
import {
  describeOutcome,
  previousFailureForPrompt,
} from "../../agents/outcome-text.js";
import {
  classifyProviderError,
  MalformedResponseError,
  retryAfterFromHeaders,
  retryDelayFromBody,
} from "../../agents/providers/provider-error.js";
import { decideRetry, DEFAULT_RETRY } from "../../agents/providers/retry.js";

describe("prices and cost", () => {
  it("prices by longest family name, dated, overridable; models of no known vendor cost 0", () => {
    expect(DEFAULT_PRICES_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(findPrice("gpt-5-mini-2025-08-07", DEFAULT_PRICES)).toEqual({
      inputPerMTok: 0.25,
      outputPerMTok: 2,
      cacheReadPerMTok: 0.025,
    });
    expect(
      costOf(
        "claude-sonnet-4-6",
        { inputTokens: 1_000_000, outputTokens: 100_000 },
        DEFAULT_PRICES,
      ),
    ).toBe(4.5);
    expect(
      costOf(
        "llama3.1:8b",
        { inputTokens: 5000, outputTokens: 5000 },
        DEFAULT_PRICES,
      ),
    ).toBe(0);
    const prices = mergePrices({
      "llama3.1": { inputPerMTok: 0.1, outputPerMTok: 0.1 },
    });
    expect(
      costOf("llama3.1:8b", { inputTokens: 1e6, outputTokens: 0 }, prices),
    ).toBe(0.1);
  });
});

describe("checkBudget", () => {
  it("refuses the call that would pass the tightest limit, and only that one", () => {
    expect(checkBudget(0.04, 0.01, { taskUsd: 0.05 })).toEqual({ ok: true });
    expect(checkBudget(0.04, 0.02, { taskUsd: 0.05 })).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/task budget \$0\.0500/),
    });
    expect(
      checkBudget(0.01, 0.02, { taskUsd: 1, runUsdLeft: 0.02 }),
    ).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/run budget left/),
    });
    expect(checkBudget(100, 100, {})).toEqual({ ok: true });
  });
});

describe("provider errors and retries", () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it("reads retry-after-ms, retry-after seconds and HTTP dates, and Gemini RetryInfo", () => {
    expect(
      retryAfterFromHeaders(
        headers({ "retry-after-ms": "250", "retry-after": "9" }),
      ),
    ).toBe(250);
    expect(retryAfterFromHeaders(headers({ "retry-after": "2" }))).toBe(2000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(
      retryAfterFromHeaders(
        headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }),
        now,
      ),
    ).toBe(30_000);
    expect(retryAfterFromHeaders(undefined)).toBeUndefined();
    expect(
      retryDelayFromBody(
        '{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37.5s"}]}}',
      ),
    ).toBe(37_500);
  });

  it("classifies by status and error class", () => {
    expect(
      classifyProviderError({
        status: 429,
        headers: headers({ "retry-after": "1" }),
        message: "x",
      }),
    ).toMatchObject({ kind: "rate-limit", retryAfterMs: 1000 });
    expect(
      classifyProviderError({ status: 529, message: "overloaded" }),
    ).toMatchObject({ kind: "server" });
    expect(
      classifyProviderError({ status: 401, message: "bad key" }),
    ).toMatchObject({ kind: "auth" });
    expect(
      classifyProviderError({ status: 400, message: "bad request" }),
    ).toMatchObject({ kind: "fatal" });
    expect(
      classifyProviderError(new MalformedResponseError("no content")),
    ).toMatchObject({ kind: "malformed" });
    expect(
      classifyProviderError(
        Object.assign(new Error("Connection error."), {
          name: "APIConnectionError",
        }),
      ),
    ).toMatchObject({ kind: "network" });
  });

  it("retries what is retryable, honours hints, and gives up on hints past the wait limit", () => {
    const policy = {
      ...DEFAULT_RETRY,
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      maxWaitMs: 5000,
    };
    expect(
      decideRetry(
        { kind: "rate-limit", retryAfterMs: 1200, detail: "" },
        1,
        policy,
      ),
    ).toEqual({ retry: true, delayMs: 1200 });
    expect(
      decideRetry(
        { kind: "rate-limit", retryAfterMs: 60_000, detail: "" },
        1,
        policy,
      ),
    ).toEqual({ retry: false });
    expect(decideRetry({ kind: "server", detail: "" }, 2, policy, 0)).toEqual({
      retry: true,
      delayMs: 100,
    });
    expect(
      decideRetry({ kind: "server", detail: "" }, 2, policy, 0.999),
    ).toEqual({ retry: true, delayMs: 200 });
    expect(decideRetry({ kind: "server", detail: "" }, 3, policy)).toEqual({
      retry: false,
    });
    expect(decideRetry({ kind: "auth", detail: "" }, 1, policy)).toEqual({
      retry: false,
    });
  });

  it("opens the circuit after N failures in a row, for the cooldown or the hinted time", () => {
    let now = 1000;
    const breaker = new CircuitBreaker(2, 10_000, () => now);
    expect(breaker.recordFailure()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.recordFailure()).toBe(false);
    expect(breaker.recordFailure(50_000)).toBe(true);
    expect(breaker.state()).toEqual({ open: true, until: 50_000 });
    now = 50_000;
    expect(breaker.state()).toEqual({ open: false });
  });
});

describe("outcome text", () => {
  const usage = {
    calls: 3,
    inputTokens: 1200,
    outputTokens: 80,
    costUsd: 0.0123,
  };
  it("describes outcomes for humans with their cost", () => {
    expect(describeOutcome({ kind: "finished", summary: "done", usage })).toBe(
      "finished: done (3 call(s), 1200 in / 80 out tokens, $0.0123)",
    );
    expect(
      describeOutcome({
        kind: "failed",
        error: { kind: "rate-limited", until: "2026-01-01T00:00:00.000Z" },
        usage,
      }),
    ).toMatch(/^failed \(rate-limited until 2026-01-01T00:00:00\.000Z\)/);
  });

  it("tells the next attempt's model only what concerns the task", () => {
    expect(
      previousFailureForPrompt({
        kind: "failed",
        error: { kind: "timed-out", detail: "turn limit of 40 reached" },
        usage,
      }),
    ).toMatch(/turn limit of 40 reached.*smaller steps/);
    expect(
      previousFailureForPrompt({
        kind: "gave-up",
        reason: "needs the schema first",
        usage,
      }),
    ).toBe("The previous attempt gave up: needs the schema first");
    expect(
      previousFailureForPrompt({
        kind: "failed",
        error: { kind: "rate-limited" },
        usage,
      }),
    ).toBeUndefined();
    expect(
      previousFailureForPrompt({ kind: "finished", summary: "x", usage }),
    ).toBeUndefined();
  });
});
