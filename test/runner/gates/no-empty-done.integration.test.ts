/**
 * No empty done and project command gates, through the real agent loop, gates pipeline and
 * landing against a real hub: an agent that changes nothing fails its attempt with "no change" and
 * the task stays open; `empty: ok` lets it land; a failing `gates:` command fails the attempt with
 * its output, which the next attempt's prompt shows, and the fixed work lands.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { WorkRequest } from "../../../agents/types.js";
import {
  createSwarmFixture,
  hubTask,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";
import { eventOf, fileAgent, runLoopUntil } from "./loop-fixture.js";

let fixture: SwarmFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const progress = (meta = "") =>
  `# Progress\n\n- [ ] t1: Write the greeting\n${meta}`;

describe("no empty done", () => {
  it("fails an attempt that changes nothing with 'no change' and leaves the task open; the next prompt says so", async () => {
    fixture = await createSwarmFixture({
      "PROGRESS.md": progress(),
      "README.md": "# x\n",
    });
    const events = await runLoopUntil(
      fixture,
      // Only PROGRESS.md: the protocol's file, not a change of the work.
      fileAgent("idle", { "PROGRESS.md": `${progress()}  - note: looked\n` }),
      (e) => e.type === "attempt-failed" || e.type === "done",
    );
    expect(eventOf(events, "done")).toBeUndefined();
    expect(eventOf(events, "attempt-failed")?.reason).toMatch(/^no change:/);
    expect(eventOf(events, "gate")).toMatchObject({
      gate: "change",
      ok: false,
    });
    const main = await fixture.hub.run(["show", "main:PROGRESS.md"]);
    expect(main).toContain("- [ ] t1:");
    expect((await hubTask(fixture.hub, "t1")).text).toMatch(
      /attempt 1 failed: no change/,
    );

    const requests: WorkRequest[] = [];
    const second = await runLoopUntil(
      fixture,
      fileAgent("worker", { "greeting.txt": "hello\n" }, requests),
      (e) => e.type === "done" || e.type === "attempt-failed",
    );
    expect(requests[0]?.context.previousFailure).toMatch(/^no change:/);
    expect(eventOf(second, "done")).toMatchObject({ task: "t1", attempt: 2 });
    expect(await fixture.hub.run(["show", "main:PROGRESS.md"])).toContain(
      "- [x] t1:",
    );
  });

  it("lands a change-less task that says 'empty: ok'", async () => {
    fixture = await createSwarmFixture({
      "PROGRESS.md": progress("  - empty: ok\n"),
    });
    const events = await runLoopUntil(
      fixture,
      fileAgent("checker", {}),
      (e) => e.type === "attempt-failed" || e.type === "done",
    );
    expect(eventOf(events, "done")).toMatchObject({ task: "t1" });
    expect(await fixture.hub.run(["show", "main:PROGRESS.md"])).toContain(
      "- [x] t1:",
    );
  });
});

describe("project command gates", () => {
  it("fails the attempt with the command's output, shows it to the next attempt, and lands the fix", async () => {
    fixture = await createSwarmFixture({ "PROGRESS.md": progress() });
    const gates = {
      entries: [
        {
          name: "lint",
          command:
            "test -f ok.txt || { echo 'lint: ok.txt is missing' >&2; exit 3; }",
          timeout: "1m",
        },
      ],
    };
    const first = await runLoopUntil(
      fixture,
      fileAgent("a", { "other.txt": "x\n" }),
      (e) => e.type === "attempt-failed" || e.type === "done",
      { gates },
    );
    const reason = eventOf(first, "attempt-failed")?.reason ?? "";
    expect(reason).toContain("gate lint failed");
    expect(reason).toContain("exited 3: lint: ok.txt is missing");

    const requests: WorkRequest[] = [];
    const second = await runLoopUntil(
      fixture,
      fileAgent("b", { "ok.txt": "fine\n" }, requests),
      (e) => e.type === "attempt-failed" || e.type === "done",
      { gates },
    );
    expect(requests[0]?.context.previousFailure).toContain(
      "lint: ok.txt is missing",
    );
    expect(eventOf(second, "done")).toMatchObject({ task: "t1" });
    expect(second).toContainEqual(
      expect.objectContaining({ type: "gate", gate: "lint", ok: true }),
    );
    const files = await fixture.hub.run(["ls-tree", "--name-only", "main"]);
    expect(files).toContain("ok.txt");
  });
});
