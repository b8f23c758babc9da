/**
 * The review's pure parts with plain data: who reviews (the default of another vendor, names and
 * kinds, a task's override), the rules `all` and `any` over verdicts and errors, the validation
 * of a verdict, and how the summary counts reviews.
 */
import { describe, expect, it } from "vitest";
import {
  formatFinding,
  parseVerdict,
} from "../../../agents/review/review-prompt.js";
import type { ReviewOutcome } from "../../../agents/review/review-types.js";
import type { SwarmEvent } from "../../../coordination/base/events.js";
import { combineReviews } from "../../../runner/gates/review-gate.js";
import { deferralEnd, deferralsOf } from "../../../runner/gates/gate-edges.js";
import { chooseReviewers } from "../../../runner/gates/reviewer-choice.js";
import {
  describeReviews,
  summariseRun,
} from "../../../runner/swarm/run-summary.js";

const usage = { calls: 1, inputTokens: 1, outputTokens: 1, costUsd: 0.01 };
const approve: ReviewOutcome = {
  kind: "verdict",
  verdict: "approve",
  summary: "",
  findings: [],
  usage,
};
const changes: ReviewOutcome = {
  kind: "verdict",
  verdict: "request-changes",
  summary: "no",
  findings: [{ file: "a.ts", line: 3, severity: "major", text: "Check null." }],
  usage,
};
const limited: ReviewOutcome = {
  kind: "error",
  failure: { kind: "rate-limited", until: "2026-12-05T20:00:00.000Z" },
  usage,
};

describe("who reviews", () => {
  const candidates = [
    { name: "claude", kind: "anthropic" },
    { name: "gpt", kind: "openai" },
    { name: "gem", kind: "gemini" },
  ];
  const config = { rule: "all" as const };

  it("defaults to one agent of another vendor than the author, none when all are the same", () => {
    expect(
      chooseReviewers(
        candidates,
        { name: "cc", kind: "claude-code" },
        config,
        {},
      ),
    ).toEqual({ ok: true, reviewers: ["gpt"], rule: "all" });
    expect(
      chooseReviewers(
        candidates.slice(0, 1),
        { name: "c", kind: "anthropic" },
        config,
        {},
      ),
    ).toEqual({ ok: true, reviewers: [], rule: "all" });
  });

  it("takes names or kinds from the config, a task's review: over it, and refuses an unknown one", () => {
    const author = { name: "gpt", kind: "openai" };
    expect(
      chooseReviewers(
        candidates,
        author,
        { ...config, reviewers: ["gemini", "claude"] },
        {},
      ),
    ).toMatchObject({ reviewers: ["gem", "claude"] });
    expect(
      chooseReviewers(
        candidates,
        author,
        { ...config, reviewers: ["claude"] },
        {
          review: { reviewers: ["gem"], rule: "any" },
        },
      ),
    ).toEqual({ ok: true, reviewers: ["gem"], rule: "any" });
    expect(
      chooseReviewers(candidates, author, config, { review: "none" }),
    ).toMatchObject({ reviewers: [] });
    expect(
      chooseReviewers(
        candidates,
        author,
        { ...config, reviewers: ["codex"] },
        {},
      ),
    ).toMatchObject({ ok: false });
  });
});

describe("the rules over the reviewers' outcomes", () => {
  const r = (reviewer: string, outcome: ReviewOutcome) => ({
    reviewer,
    outcome,
  });

  it("all: every reviewer must approve; changes requested fail with the findings", () => {
    expect(combineReviews("all", [r("a", approve), r("b", approve)])).toEqual({
      ok: true,
      record: "approved by a, b (rule all)",
    });
    const failed = combineReviews("all", [r("a", approve), r("b", changes)]);
    expect(failed).toEqual({
      ok: false,
      reason: "review: b requested changes: [major] a.ts:3 Check null. (no)",
    });
    // Requested changes are findings whatever the other reviewer's error.
    expect(
      combineReviews("all", [r("a", limited), r("b", changes)]),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining("Check null."),
    });
  });

  it("an error is never an approval: all defers; any defers unless someone approved", () => {
    expect(combineReviews("all", [r("a", approve), r("b", limited)])).toEqual({
      ok: false,
      deferred: true,
      reason: "review not done: b: rate limited until 2026-12-05T20:00:00.000Z",
    });
    expect(
      combineReviews("any", [r("a", limited), r("b", changes)]),
    ).toMatchObject({
      ok: false,
      deferred: true,
    });
    expect(
      combineReviews("any", [r("a", limited), r("b", approve)]),
    ).toMatchObject({
      ok: true,
    });
    expect(
      combineReviews("any", [r("a", changes), r("b", changes)]),
    ).toMatchObject({
      ok: false,
    });
  });
});

describe("a verdict as a model sends it", () => {
  it("accepts a valid one and refuses a request-changes without findings or a bad verdict", () => {
    expect(
      parseVerdict({
        verdict: "request-changes",
        summary: "x",
        findings: [{ file: "a", line: "7", severity: "weird", text: " t " }],
      }),
    ).toEqual({
      ok: true,
      verdict: {
        verdict: "request-changes",
        summary: "x",
        findings: [{ file: "a", line: 7, severity: "major", text: "t" }],
      },
    });
    expect(parseVerdict({ verdict: "request-changes", findings: [] }).ok).toBe(
      false,
    );
    expect(parseVerdict({ verdict: "lgtm" }).ok).toBe(false);
    expect(
      formatFinding({ file: "", line: 0, severity: "nit", text: "t" }),
    ).toBe("[nit] t");
  });
});

describe("the summary's reviews", () => {
  it("counts verdicts, errors and their cost", () => {
    const review = (verdict: string, costUsd: number) =>
      ({
        type: "review",
        time: "",
        agent: "a",
        task: "t",
        reviewer: "r",
        attempt: 1,
        verdict,
        findings: 0,
        costUsd,
      }) as SwarmEvent;
    const summary = summariseRun("r", [
      review("request-changes", 0.5),
      review("approve", 0.25),
      review("error", 0),
    ]);
    expect(describeReviews(summary.reviews)).toBe(
      "reviews: 1 approved, 1 changes requested, 1 without a verdict ($0.7500)",
    );
  });
});

describe("the cap on deferrals in a row (review.maxDeferrals)", () => {
  const released = (reason: string) => ({
    task: "t1",
    state: "released" as const,
    agent: "a",
    claimId: "c",
    at: "2026-12-05T20:00:00.000Z",
    reason,
  });

  it("counts the deferrals the last marker records, 0 after anything else", () => {
    expect(deferralsOf(undefined)).toBe(0);
    expect(deferralsOf(released("deferred 2/3: review not done: x"))).toBe(2);
    expect(deferralsOf(released("attempt 1 failed: no change"))).toBe(0);
    expect(deferralsOf(released("rate limited"))).toBe(0);
    expect(deferralsOf({ ...released("deferred 2/3: x"), state: "done" })).toBe(
      0,
    );
  });

  it("gives the task back below the cap and blocks it at the cap, saying how to go on", () => {
    expect(deferralEnd(1, 3, "review not done: b: auth", "t1")).toEqual({
      kind: "release",
      reason: "deferred 1/3: review not done: b: auth",
    });
    const end = deferralEnd(3, 3, "review not done: b: auth", "t1");
    expect(end.kind).toBe("block");
    expect(end.reason).toBe(
      "no review verdict 3 time(s) in a row (review.maxDeferrals: 3); last: review not done: b: auth. Fix the reviewer (its key, quota or budget; 'gitswarm doctor'), then 'gitswarm reopen t1'",
    );
  });
});
