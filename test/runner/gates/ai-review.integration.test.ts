/**
 * The AI review through the real vendor SDKs against local servers speaking each wire protocol:
 * each vendor's reviewer answers through the `submit_review` tool; in the agent loop, changes
 * requested fail the attempt with the findings verbatim in the next prompt; `all` needs every
 * reviewer, `any` one; a rate-limited reviewer is no approval and spends no attempt; review calls
 * are tagged with the task, so they count in its cost.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createApiReviewer } from "../../../agents/review/api-reviewer.js";
import type { Reviewer } from "../../../agents/review/review-types.js";
import { defaultSpec } from "../../../agents/index.js";
import type { WorkRequest } from "../../../agents/types.js";
import type { EventInput } from "../../../coordination/base/events.js";
import { claimTask } from "../../../coordination/protocol/claim.js";
import { parseMarker } from "../../../coordination/state/task-marker.js";
import { defer, deferralsOf } from "../../../runner/gates/gate-edges.js";
import { foldCosts } from "../../../scripts/analytics/costs.js";
import {
  createSwarmFixture,
  hubTask,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";
import {
  startFakeServer,
  type FakeServer,
} from "../../agents/fixtures/fake-server.js";
import {
  gemini,
  openai,
  vendors,
  type Step,
  type Vendor,
} from "../../agents/fixtures/vendors.js";
import { eventOf, fileAgent, runLoop, runLoopUntil } from "./loop-fixture.js";

const servers: FakeServer[] = [];
let fixture: SwarmFixture | undefined;
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await fixture?.cleanup();
  fixture = undefined;
});

const FINDING = {
  file: "greeting.txt",
  line: 1,
  severity: "major",
  text: "Say hello in French, as the task asks: 'bonjour'.",
};
const approve: Step = {
  calls: [
    {
      name: "submit_review",
      args: { verdict: "approve", summary: "good", findings: [] },
    },
  ],
};
const requestChanges: Step = {
  calls: [
    {
      name: "submit_review",
      args: {
        verdict: "request-changes",
        summary: "wrong language",
        findings: [FINDING],
      },
    },
  ],
};

/** A reviewer over `vendor`'s real SDK whose server answers `steps` in turn (the last repeats). */
async function reviewerOn(
  vendor: Vendor,
  steps: (Step | "rate-limited")[],
): Promise<{ reviewer: Reviewer; server: FakeServer }> {
  const server = await startFakeServer((_request, n) => {
    const step = steps[Math.min(n, steps.length - 1)] ?? approve;
    return step === "rate-limited"
      ? vendor.rateLimited(3600)
      : vendor.reply(step, n, { input: 2000, output: 300 });
  });
  servers.push(server);
  const spec = defaultSpec(vendor.kind, `${vendor.kind}-rev`, {
    model: vendor.model,
    baseUrl: vendor.baseUrl(server.url),
  });
  const reviewer = createApiReviewer(spec, {
    env: { [vendor.keyEnv]: "sk-test-review" },
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  });
  return { reviewer, server };
}

const request = {
  task: { id: "t1", title: "Greet", notes: [] },
  author: "a",
  attempt: 1,
  diff: "+hello\n",
  files: ["greeting.txt"],
  oracle: "no oracle configured",
  signal: new AbortController().signal,
};

describe.each(vendors)("a $kind reviewer over the real SDK", (vendor) => {
  it("answers through submit_review, with its findings and cost", async () => {
    const { reviewer, server } = await reviewerOn(vendor, [requestChanges]);
    const outcome = await reviewer.review(request);
    expect(outcome).toMatchObject({
      kind: "verdict",
      verdict: "request-changes",
      findings: [FINDING],
    });
    expect(outcome.usage.costUsd).toBeGreaterThan(0);
    expect(server.requests[0]?.raw).toContain("submit_review");
    expect(server.requests[0]?.raw).toContain("greeting.txt");
  });
});

const progress = "# Progress\n\n- [ ] t1: Write the greeting\n";
const done = (e: { type: string }) =>
  e.type === "done" || e.type === "attempt-failed" || e.type === "released";

describe("the review gate in the agent loop", () => {
  it("rule all: one reviewer's requested changes fail the attempt, verbatim in the next prompt; the fix lands, reviews priced to the task", async () => {
    fixture = await createSwarmFixture({ "PROGRESS.md": progress });
    const picky = await reviewerOn(openai, [requestChanges, approve]);
    const happy = await reviewerOn(gemini, [approve]);
    const reviewers = [picky.reviewer, happy.reviewer];
    const gates = {
      entries: [],
      review: {
        rule: "all" as const,
        human: false,
        reviewers: ["openai-rev", "gemini-rev"],
      },
    };
    const first = await runLoopUntil(
      fixture,
      fileAgent("a", { "greeting.txt": "hello\n" }),
      done,
      { gates, reviewers },
    );
    const reason = eventOf(first, "attempt-failed")?.reason ?? "";
    expect(reason).toContain(`[major] greeting.txt:1 ${FINDING.text}`);
    expect(first.filter((e) => e.type === "review")).toHaveLength(2);

    const requests: WorkRequest[] = [];
    const second = await runLoopUntil(
      fixture,
      fileAgent("b", { "greeting.txt": "bonjour\n" }, requests),
      done,
      { gates, reviewers },
    );
    expect(requests[0]?.context.previousFailure).toContain(FINDING.text);
    expect(eventOf(second, "done")).toMatchObject({ task: "t1", attempt: 2 });
    expect((await hubTask(fixture.hub, "t1")).text).toContain(
      "approved by openai-rev, gemini-rev",
    );
    // Every review call is a model-call of its reviewer, tagged with the task: the task's cost.
    const events = [...first, ...second].map((e) => ({ ...e, time: "" }));
    const costs = foldCosts([{ file: "log", events }]);
    const reviewCalls = events.filter(
      (e) => e.type === "model-call" && e.task === "t1",
    );
    expect(reviewCalls).toHaveLength(4);
    const reviewUsd = reviewCalls.reduce(
      (sum, e) => sum + (e.type === "model-call" ? e.costUsd : 0),
      0,
    );
    expect(reviewUsd).toBeGreaterThan(0);
    expect(costs.tasks.find((t) => t.name === "t1")?.costUsd).toBeCloseTo(
      reviewUsd,
      6,
    );
  });

  it("rule any: one approval lands the work despite another's requested changes", async () => {
    fixture = await createSwarmFixture({ "PROGRESS.md": progress });
    const picky = await reviewerOn(openai, [requestChanges]);
    const happy = await reviewerOn(gemini, [approve]);
    const events = await runLoopUntil(
      fixture,
      fileAgent("a", { "greeting.txt": "hello\n" }),
      done,
      {
        gates: {
          entries: [],
          review: {
            rule: "any",
            human: false,
            reviewers: ["openai", "gemini"],
          },
        },
        reviewers: [picky.reviewer, happy.reviewer],
      },
    );
    expect(eventOf(events, "done")).toMatchObject({ task: "t1", attempt: 1 });
  });

  it("a rate-limited reviewer is no approval and spends no attempt: the task is given back, the work kept", async () => {
    fixture = await createSwarmFixture({ "PROGRESS.md": progress });
    const limited = await reviewerOn(openai, ["rate-limited"]);
    const first = await runLoop(
      fixture,
      // Default choice: an anthropic author is reviewed by the openai agent.
      { ...fileAgent("a", { "greeting.txt": "hello\n" }), kind: "anthropic" },
      done,
      {
        gates: { entries: [] },
        reviewers: [limited.reviewer],
        me: { name: "a", kind: "anthropic", capabilities: [] },
      },
    );
    const { events } = first;
    expect(eventOf(events, "done")).toBeUndefined();
    expect(eventOf(events, "attempt-failed")).toBeUndefined();
    expect(eventOf(events, "released")?.reason).toMatch(
      /^deferred 1\/3: review not done: openai-rev: rate limited/,
    );
    expect(eventOf(events, "review")).toMatchObject({ verdict: "error" });
    const marker = (await hubTask(fixture.hub, "t1")).text;
    expect(marker).toContain("state: released");
    expect(marker).not.toMatch(/attempt \d+ failed/);
    // The work is on its branch for the next claim.
    const branches = await fixture.hub.run(["branch", "--list", "swarm/*"]);
    expect(branches).toContain("swarm/a/t1");
    expect(await fixture.hub.run(["show", "swarm/a/t1:greeting.txt"])).toBe(
      "hello\n",
    );
    // The cap: with review.maxDeferrals 2, the second deferral in a row blocks the task for a human.
    const marker1 = parseMarker(marker);
    expect(marker1.ok && deferralsOf(marker1.marker)).toBe(1);
    const again = await claimTask(first.ws, {
      taskId: "t1",
      agent: "a",
      leaseMs: 60_000,
    });
    expect(again.outcome).toBe("won");
    if (again.outcome !== "won" || !marker1.ok) return;
    const seen: EventInput[] = [];
    await defer(
      {
        ws: first.ws,
        me: { name: "a", kind: "anthropic", capabilities: [] },
        emit: (e) => seen.push(e),
        gates: {
          entries: [],
          review: { rule: "all", human: false, maxDeferrals: 2 },
        },
      },
      { taskId: "t1", agent: "a", claimId: again.lock.claimId },
      "review not done: openai-rev: rate limited",
      0,
    );
    expect(eventOf(seen, "blocked")?.reason).toMatch(
      /^no review verdict 2 time\(s\) in a row \(review.maxDeferrals: 2\); last: review not done: openai-rev: rate limited.*gitswarm reopen t1/,
    );
    expect(await fixture.hub.run(["show", "main:PROGRESS.md"])).toMatch(
      /blocked: no review verdict 2 time\(s\) in a row/,
    );
  });
});
