/**
 * Leases with real processes: a SIGKILLed holder's lock is broken only after its lease, the next
 * claimer resumes from its work branch and nothing is lost; a slow holder that keeps sending
 * heartbeats is never broken; a broken holder coming back cannot land over the new holder.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { readTrailers } from "../../coordination/git/trailers.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../support/swarm-fixture.js";
import {
  killAllWorkers,
  startWorker,
  stopWorkers,
  type Worker,
} from "../../scripts/bench/worker-pool.js";

afterAll(killAllWorkers);

const PROGRESS =
  "# Progress\n\n- [ ] lexer: Tokenise SQL\n- [ ] other: Something else\n";
const LEASE_MS = 2_000;
const KILLED_LEASE_MS = 10_000;

/** Sends `break` until it lands or the deadline passes; returns every answer in order. */
async function breakWhenStale(
  breaker: Worker,
  task: string,
  deadlineMs: number,
) {
  const answers: Record<string, unknown>[] = [];
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const answer = await breaker.send(`break ${task}`);
    answers.push(answer);
    if (answer.outcome !== "refused") return answers;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return answers;
}

describe("leases, lock breaks and resume", () => {
  let swarm: SwarmFixture;
  afterEach(async () => {
    killAllWorkers();
    await swarm.cleanup();
  });

  it("a SIGKILLed holder: broken after its lease, the next claimer resumes its branch, nothing is lost", async () => {
    swarm = await createSwarmFixture({ "PROGRESS.md": PROGRESS });
    const dead = startWorker((await swarm.clone("agent-a")).dir, "agent-a");
    const next = startWorker((await swarm.clone("agent-b")).dir, "agent-b");
    // A longer lease here: the first break must come inside it even on a machine at load 30.
    const held = (await dead.send(`hold lexer ${KILLED_LEASE_MS}`)) as {
      claimId: string;
      branch: string;
      head: string;
    };
    const killedAt = Date.now();
    dead.process.kill("SIGKILL");

    const answers = await breakWhenStale(next, "lexer", 60_000);
    const broken = answers.at(-1) as { outcome: string; evidence: string };
    expect(broken.outcome).toBe("broken");
    expect(
      answers[0]?.outcome,
      "the first attempt, inside the lease, is refused",
    ).toBe("refused");
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(KILLED_LEASE_MS);
    expect(broken.evidence).toContain(
      `agent-a's claim ${held.claimId}: lease until`,
    );

    const resumed = (await next.send("resume lexer")) as {
      resumedFrom: string;
      end: { outcome: string };
    };
    expect(resumed).toMatchObject({
      resumedFrom: "swarm/agent-a/lexer",
      end: { outcome: "landed" },
    });
    const files = (
      await swarm.hub.run(["ls-tree", "-r", "--name-only", "main", "work/"])
    )
      .trim()
      .split("\n");
    expect(files).toEqual([
      "work/lexer.final",
      "work/lexer.partial",
      "work/lexer.uncommitted",
    ]);
    // The dead holder's commit is still reachable on the hub, on its own kept branch.
    expect(
      (
        await swarm.hub.tryRun([
          "merge-base",
          "--is-ancestor",
          held.head,
          "refs/heads/swarm/agent-a/lexer",
        ])
      ).ok,
    ).toBe(true);
    // Main carries only the work; the claims, the break and the done marker are on the task ref.
    const subjects = (await swarm.hub.run(["log", "--format=%s", "main"]))
      .trim()
      .split("\n");
    expect(subjects).toEqual(["done: lexer — Tokenise SQL", "seed"]);
    const ref = "refs/swarm/tasks/lexer";
    expect(
      (await swarm.hub.run(["log", "--format=%s", ref])).trim().split("\n"),
    ).toEqual([
      "done: lexer (agent-b)",
      "claim: lexer (agent-b)",
      "break: lexer (held by agent-a)",
      "claim: lexer (agent-a)",
    ]);
    const breakMessage = await swarm.hub.run([
      "log",
      "-1",
      "--format=%B",
      `${ref}~2`,
    ]);
    expect(readTrailers(breakMessage).get("Swarm-Resume-Branch")).toBe(
      "swarm/agent-a/lexer",
    );
    await stopWorkers([next]);
  }, 300_000);

  it("a slow holder that keeps sending heartbeats past its lease is never broken", async () => {
    swarm = await createSwarmFixture({ "PROGRESS.md": PROGRESS });
    const slow = startWorker((await swarm.clone("slow")).dir, "slow");
    const other = startWorker((await swarm.clone("other")).dir, "other");
    // Heartbeat times have one-second resolution (git commit times): beat well inside the lease.
    await slow.send(`hold lexer ${2 * LEASE_MS}`);
    await slow.send("beat-every lexer 300");
    const answers = await breakWhenStale(other, "lexer", 6 * LEASE_MS);
    expect(answers.length).toBeGreaterThan(3);
    expect(answers.map((a) => a.outcome)).toEqual(answers.map(() => "refused"));
    // Once the heartbeats stop, the same lock does become breakable: the check above can fail.
    slow.process.kill("SIGKILL");
    expect((await breakWhenStale(other, "lexer", 30_000)).at(-1)?.outcome).toBe(
      "broken",
    );
  }, 120_000);

  it("a holder whose lock was broken cannot finish: refused, its branch kept, main untouched", async () => {
    swarm = await createSwarmFixture({ "PROGRESS.md": PROGRESS });
    const stalled = startWorker((await swarm.clone("stalled")).dir, "stalled");
    const rescuer = startWorker((await swarm.clone("rescuer")).dir, "rescuer");
    const held = (await stalled.send(`hold lexer ${LEASE_MS}`)) as {
      claimId: string;
      head: string;
    };
    expect(
      (await breakWhenStale(rescuer, "lexer", 30_000)).at(-1)?.outcome,
    ).toBe("broken");
    expect(await rescuer.send("resume lexer")).toMatchObject({
      end: { outcome: "landed" },
    });
    const mainBefore = (await swarm.hub.run(["rev-parse", "main"])).trim();

    const late = (await stalled.send(`finish lexer ${held.claimId}`)) as {
      outcome: string;
      message: string;
    };
    expect(late.outcome).toBe("fenced");
    expect(late.message).toContain(`claim ${held.claimId}`);
    expect((await swarm.hub.run(["rev-parse", "main"])).trim()).toBe(
      mainBefore,
    );
    expect(
      (
        await swarm.hub.tryRun([
          "merge-base",
          "--is-ancestor",
          held.head,
          "refs/heads/swarm/stalled/lexer",
        ])
      ).ok,
    ).toBe(true);
    await stopWorkers([stalled, rescuer]);
  }, 120_000);
});
