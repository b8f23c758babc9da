/**
 * The human gate through the real agent loop, hub and CLI: the work waits (lease kept by
 * heartbeats) until `gitswarm approve` lands it, with who approved on the done marker; `gitswarm
 * reject --reason` fails the attempt with that reason; an agent stopped while its work waits (what
 * a SIGKILLed runner does to its agents) loses nothing: after the restart the approval lands the
 * same work without the agent working again.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { WorkRequest } from "../../../agents/types.js";
import {
  createSwarmFixture,
  hubTask,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";
import { runCli } from "../support/cli-run.js";
import { eventOf, fileAgent, runLoop } from "./loop-fixture.js";

let fixture: SwarmFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const progress =
  "# Progress\n\n- [ ] t1: Write the greeting\n  - approve: human\n";
const waiting = (e: { type: string; state?: unknown }) =>
  e.type === "approval" && e.state === "waiting";

async function human(f: SwarmFixture) {
  return (await f.clone("human-cli")).dir;
}

describe("the human gate", () => {
  it("waits; stopped while waiting it loses nothing; 'gitswarm approve' then lands the same work after the restart", async () => {
    fixture = await createSwarmFixture({ "PROGRESS.md": progress });
    const requests: WorkRequest[] = [];
    const agent = fileAgent("a", { "greeting.txt": "hello\n" }, requests);
    const first = await runLoop(fixture, agent, waiting, {
      approvalPollMs: 100,
    });
    expect(eventOf(first.events, "done")).toBeUndefined();
    expect(await fixture.hub.run(["show", "main:PROGRESS.md"])).toContain(
      "- [ ] t1:",
    );

    const repo = await human(fixture);
    // `status` says who waits since when, the AI review's verdict, and how to answer.
    const shown = await runCli(["status", "--repo", repo]);
    expect(shown.stdout).toContain("1 waiting for approval");
    expect(shown.stdout).toMatch(
      /\[~\] t1: Write the greeting — a, waiting for approval since \d{4}-\d\d-\d\dT[\d:.]+Z \(no AI review\): gitswarm approve t1 \| gitswarm reject t1 --reason TEXT/,
    );
    const json = JSON.parse(
      (await runCli(["status", "--json", "--repo", repo])).stdout,
    ) as {
      waitingForApproval: string[];
      tasks: { id: string; approval: unknown }[];
    };
    expect(json.waitingForApproval).toEqual(["t1"]);
    expect(json.tasks[0]?.approval).toMatchObject({
      state: "waiting",
      agent: "a",
      attempt: 1,
      review: null,
      approve: "gitswarm approve t1",
      reject: "gitswarm reject t1 --reason TEXT",
    });
    const approved = await runCli([
      "approve",
      "t1",
      "--as",
      "alice",
      "--repo",
      repo,
    ]);
    expect(approved.stderr).toBe("");
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain("t1: approved by alice");

    const second = await runLoop(
      fixture,
      agent,
      (e) => e.type === "done" || e.type === "attempt-failed",
      { ws: first.ws, approvalPollMs: 100 },
    );
    expect(eventOf(second.events, "done")).toMatchObject({
      task: "t1",
      attempt: 1,
    });
    expect(requests).toHaveLength(1);
    expect(await fixture.hub.run(["show", "main:greeting.txt"])).toBe(
      "hello\n",
    );
    expect(await fixture.hub.run(["show", "main:PROGRESS.md"])).toContain(
      "- [x] t1:",
    );
    expect((await hubTask(fixture.hub, "t1")).text).toContain(
      "approved by alice",
    );
    // Answered already: a second approve is refused.
    const again = await runCli(["approve", "t1", "--repo", repo]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("no work waiting for approval");
  });

  it("'gitswarm reject --reason' fails the attempt with the reason, which the next prompt shows", async () => {
    fixture = await createSwarmFixture({ "PROGRESS.md": progress });
    const repo = await human(fixture);
    let rejecting: ReturnType<typeof runCli> | undefined;
    const run = await runLoop(
      fixture,
      fileAgent("a", { "greeting.txt": "hello\n" }),
      (e) => {
        if (waiting(e))
          rejecting ??= runCli([
            "reject",
            "t1",
            "--as",
            "bob",
            "--reason",
            "say it in French",
            "--repo",
            repo,
          ]);
        return e.type === "attempt-failed" || e.type === "done";
      },
      { approvalPollMs: 100 },
    );
    expect((await rejecting)?.code).toBe(0);
    expect(eventOf(run.events, "attempt-failed")?.reason).toBe(
      "rejected by bob: say it in French",
    );
    const requests: WorkRequest[] = [];
    await runLoop(
      fixture,
      fileAgent("b", { "greeting.txt": "bonjour\n" }, requests),
      waiting,
      { approvalPollMs: 100 },
    );
    expect(requests[0]?.context.previousFailure).toBe(
      "rejected by bob: say it in French",
    );
  });
});
