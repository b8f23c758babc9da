import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { claimTask } from "../../coordination/protocol/claim.js";
import {
  finishTask,
  releaseTask,
  blockTask,
} from "../../coordination/protocol/finish.js";
import { breakLock } from "../../coordination/protocol/break-lock.js";
import { parseLock } from "../../coordination/state/lock-file.js";
import { parseMarker } from "../../coordination/state/task-marker.js";
import { readTrailers } from "../../coordination/git/trailers.js";
import {
  createSwarmFixture,
  hubMain,
  hubTask,
  type SwarmFixture,
} from "../support/swarm-fixture.js";

const PROGRESS = `# Progress

## Tasks

- [ ] lexer: Tokenise SQL
- [ ] parser: Parse SELECT
  - needs: lexer
- [x] setup: Skeleton
`;

describe("claim protocol on a real hub", () => {
  let swarm: SwarmFixture;
  beforeEach(async () => {
    swarm = await createSwarmFixture({ "PROGRESS.md": PROGRESS });
  });
  afterEach(() => swarm.cleanup());

  it("wins an open task: a root commit on refs/swarm/tasks/<task> holding only locks/<task>.md, with trailers; main untouched", async () => {
    const ws = await swarm.clone("agent-a");
    const result = await claimTask(ws, {
      taskId: "lexer",
      agent: "agent-a",
      leaseMs: 60_000,
    });
    expect(result.outcome).toBe("won");
    if (result.outcome !== "won") return;
    const ref = await hubTask(swarm.hub, "lexer");
    expect(ref.files).toEqual(["locks/lexer.md"]);
    expect(ref.subjects).toEqual(["claim: lexer (agent-a)"]);
    const parsed = parseLock(ref.text);
    expect(parsed.ok && parsed.lock).toMatchObject({
      task: "lexer",
      agent: "agent-a",
      claimId: result.lock.claimId,
      branch: "swarm/agent-a/lexer",
    });
    const message = await swarm.hub.run([
      "log",
      "-1",
      "--format=%B",
      "refs/swarm/tasks/lexer",
    ]);
    expect(Object.fromEntries(readTrailers(message))).toEqual({
      "Swarm-Action": "claim",
      "Swarm-Task": "lexer",
      "Swarm-Agent": "agent-a",
      "Swarm-Claim": result.lock.claimId,
      // The main the claim was decided on: the seed.
      "Swarm-Base": (await swarm.hub.run(["rev-parse", "main"])).trim(),
    });
    expect(
      (await swarm.hub.run(["rev-parse", "refs/swarm/tasks/lexer"])).trim(),
    ).toBe(result.commit);
    expect((await hubMain(swarm.hub)).subjects).toEqual(["seed"]);
    expect(
      (
        await swarm.hub.run([
          "for-each-ref",
          "--format=%(refname)",
          "refs/heads",
        ])
      ).trim(),
    ).toBe("refs/heads/main");
  });

  it("a second agent loses to the holder, even from a stale clone; the holder resumes", async () => {
    const a = await swarm.clone("agent-a");
    const b = await swarm.clone("agent-b");
    expect(
      (
        await claimTask(a, {
          taskId: "lexer",
          agent: "agent-a",
          leaseMs: 60_000,
        })
      ).outcome,
    ).toBe("won");
    const lost = await claimTask(b, {
      taskId: "lexer",
      agent: "agent-b",
      leaseMs: 60_000,
    });
    expect(lost).toMatchObject({ outcome: "refused", reason: "held" });
    expect(
      (
        await claimTask(a, {
          taskId: "lexer",
          agent: "agent-a",
          leaseMs: 60_000,
        })
      ).outcome,
    ).toBe("resumed");
    expect((await hubMain(swarm.hub)).subjects).toEqual(["seed"]);
    expect((await hubTask(swarm.hub, "lexer")).subjects).toEqual([
      "claim: lexer (agent-a)",
    ]);
  });

  it("a stale 'mine' is never trusted: the holder whose lock was broken and re-claimed is refused, held by the new holder", async () => {
    const alice = await swarm.clone("alice");
    const bob = await swarm.clone("bob");
    const first = await claimTask(alice, {
      taskId: "lexer",
      agent: "alice",
      leaseMs: 2_000,
    });
    expect(first.outcome).toBe("won");
    const later = () => new Date(Date.now() + 3_600_000);
    expect(
      await breakLock(bob, { taskId: "lexer", breaker: "bob", now: later }),
    ).toMatchObject({ outcome: "broken" });
    expect(
      (await claimTask(bob, { taskId: "lexer", agent: "bob", leaseMs: 60_000 }))
        .outcome,
    ).toBe("won");
    // alice's clone still shows her own lock (her last fetch): that must not be believed.
    const again = await claimTask(alice, {
      taskId: "lexer",
      agent: "alice",
      leaseMs: 60_000,
    });
    expect(again).toMatchObject({ outcome: "refused", reason: "held" });
    expect(
      again.outcome === "refused" &&
        again.reason === "held" &&
        again.holder.agent,
    ).toBe("bob");
    expect((await hubTask(swarm.hub, "lexer")).subjects).toEqual([
      "claim: lexer (bob)",
      "break: lexer (held by alice)",
      "claim: lexer (alice)",
    ]);
  });

  it("claims of different tasks never contend: each lands on its own ref", async () => {
    const a = await swarm.clone("agent-a");
    const b = await swarm.clone("agent-b");
    await swarm.pushToMain({
      "PROGRESS.md": `${PROGRESS}- [ ] docs: Write docs\n`,
    });
    const [x, y] = await Promise.all([
      claimTask(a, { taskId: "lexer", agent: "agent-a", leaseMs: 60_000 }),
      claimTask(b, { taskId: "docs", agent: "agent-b", leaseMs: 60_000 }),
    ]);
    expect([x.outcome, x.outcome === "won" && x.rounds]).toEqual(["won", 1]);
    expect([y.outcome, y.outcome === "won" && y.rounds]).toEqual(["won", 1]);
  });

  it("refuses unknown tasks, unfinished deps and done tasks without writing anything", async () => {
    const ws = await swarm.clone("agent-a");
    expect(
      await claimTask(ws, { taskId: "ghost", agent: "agent-a", leaseMs: 1000 }),
    ).toMatchObject({ outcome: "refused", reason: "unknown-task" });
    expect(
      await claimTask(ws, {
        taskId: "parser",
        agent: "agent-a",
        leaseMs: 1000,
      }),
    ).toMatchObject({
      outcome: "refused",
      reason: "needs",
      missing: ["lexer"],
    });
    expect(
      await claimTask(ws, { taskId: "setup", agent: "agent-a", leaseMs: 1000 }),
    ).toMatchObject({ outcome: "refused", reason: "done" });
    expect((await hubMain(swarm.hub)).subjects).toEqual(["seed"]);
  });

  it("finishes in ONE commit on main (the work + the check-off) and a done marker naming it, in one push", async () => {
    const ws = await swarm.clone("agent-a");
    const won = await claimTask(ws, {
      taskId: "lexer",
      agent: "agent-a",
      leaseMs: 60_000,
    });
    if (won.outcome !== "won") throw new Error("claim failed");
    await ws.git.run(["checkout", "--quiet", "-b", won.lock.branch]);
    await writeFile(path.join(ws.dir, "lexer.ts"), "export const lex = 1;\n");
    await ws.git.run(["add", "lexer.ts"]);
    await ws.git.run(["commit", "--quiet", "-m", "lexer"]);
    // Meanwhile a human edits another part of main: the finish must merge over it.
    await swarm.pushToMain({ "NOTES.md": "human\n" });
    const done = await finishTask(ws, {
      taskId: "lexer",
      agent: "agent-a",
      claimId: won.lock.claimId,
      work: "HEAD",
      summary: "wrote the lexer",
    });
    expect(done.outcome).toBe("landed");
    const main = await hubMain(swarm.hub);
    expect(main.subjects).toEqual([
      "done: lexer — Tokenise SQL",
      "human edit",
      "seed",
    ]);
    if (done.outcome !== "landed") return;
    const ref = await hubTask(swarm.hub, "lexer");
    expect(ref.subjects).toEqual([
      "done: lexer (agent-a)",
      "claim: lexer (agent-a)",
    ]);
    const marker = parseMarker(ref.text);
    expect(marker.ok && marker.marker).toMatchObject({
      state: "done",
      main: done.commit,
      claimId: won.lock.claimId,
    });
    expect((await swarm.hub.run(["rev-parse", "main"])).trim()).toBe(
      done.commit,
    );
    const markerMessage = await swarm.hub.run([
      "log",
      "-1",
      "--format=%B",
      "refs/swarm/tasks/lexer",
    ]);
    expect(readTrailers(markerMessage).get("Swarm-Main")).toBe(done.commit);
    expect(main.files.sort()).toEqual(["NOTES.md", "PROGRESS.md", "lexer.ts"]);
    const progress = await swarm.hub.run(["show", "main:PROGRESS.md"]);
    expect(progress).toBe(PROGRESS.replace("- [ ] lexer", "- [x] lexer"));
    const stat = await swarm.hub.run([
      "show",
      "--format=",
      "--name-status",
      "main",
    ]);
    expect(stat.trim().split("\n").sort()).toEqual([
      "A\tlexer.ts",
      "M\tPROGRESS.md",
    ]);
    // Now parser's dependency is done: it can be claimed.
    expect(
      (
        await claimTask(ws, {
          taskId: "parser",
          agent: "agent-a",
          leaseMs: 1000,
        })
      ).outcome,
    ).toBe("won");
  });

  it("fences: a release or done with a claim id that is not the lock on the hub is refused", async () => {
    const ws = await swarm.clone("agent-a");
    const won = await claimTask(ws, {
      taskId: "lexer",
      agent: "agent-a",
      leaseMs: 60_000,
    });
    if (won.outcome !== "won") throw new Error("claim failed");
    const before = await hubMain(swarm.hub);
    const refBefore = await hubTask(swarm.hub, "lexer");
    expect(
      await finishTask(ws, {
        taskId: "lexer",
        agent: "agent-a",
        claimId: "not-my-claim",
      }),
    ).toMatchObject({ outcome: "fenced" });
    expect(
      await releaseTask(ws, {
        taskId: "lexer",
        agent: "agent-b",
        claimId: "deadbeefdeadbeef",
      }),
    ).toMatchObject({ outcome: "fenced" });
    expect(await hubMain(swarm.hub)).toEqual(before);
    expect(await hubTask(swarm.hub, "lexer")).toEqual(refBefore);
  });

  it("a done task whose marker is newer than the clone's main is not reopened: the claimer fetches again", async () => {
    const a = await swarm.clone("agent-a");
    const b = await swarm.clone("agent-b");
    const won = await claimTask(a, {
      taskId: "lexer",
      agent: "agent-a",
      leaseMs: 60_000,
    });
    if (won.outcome !== "won") throw new Error("claim failed");
    // b reads the lock, then a finishes: b's mirror of the task ref is then moved to the done
    // marker while its main stays old — the torn read a reader can get.
    await b.git.run([
      "fetch",
      "--quiet",
      "origin",
      "+refs/heads/main:refs/remotes/origin/main",
    ]);
    const end = await finishTask(a, {
      taskId: "lexer",
      agent: "agent-a",
      claimId: won.lock.claimId,
    });
    expect(end.outcome).toBe("landed");
    await b.git.run([
      "fetch",
      "--quiet",
      "origin",
      "+refs/swarm/tasks/*:refs/gitswarm/origin/tasks/*",
    ]);
    expect(
      await claimTask(b, {
        taskId: "lexer",
        agent: "agent-b",
        leaseMs: 60_000,
      }),
    ).toMatchObject({ outcome: "refused", reason: "done" });
  });

  it("a human who unchecks a done task, or deletes its blocked: line, reopens it", async () => {
    const ws = await swarm.clone("agent-a");
    const won = await claimTask(ws, {
      taskId: "lexer",
      agent: "agent-a",
      leaseMs: 60_000,
    });
    if (won.outcome !== "won") throw new Error("claim failed");
    expect(
      (
        await finishTask(ws, {
          taskId: "lexer",
          agent: "agent-a",
          claimId: won.lock.claimId,
        })
      ).outcome,
    ).toBe("landed");
    await swarm.pushToMain({ "PROGRESS.md": PROGRESS }, "human reopens lexer");
    const again = await claimTask(ws, {
      taskId: "lexer",
      agent: "agent-b",
      leaseMs: 60_000,
    });
    expect(again.outcome).toBe("won");
    if (again.outcome !== "won") return;
    expect(
      (
        await blockTask(ws, {
          taskId: "lexer",
          agent: "agent-b",
          claimId: again.lock.claimId,
          reason: "stuck",
        })
      ).outcome,
    ).toBe("landed");
    expect(
      await claimTask(ws, { taskId: "lexer", agent: "agent-c", leaseMs: 1000 }),
    ).toMatchObject({ outcome: "refused", reason: "blocked" });
    await swarm.pushToMain({ "PROGRESS.md": PROGRESS }, "human unblocks lexer");
    expect(
      (
        await claimTask(ws, {
          taskId: "lexer",
          agent: "agent-c",
          leaseMs: 1000,
        })
      ).outcome,
    ).toBe("won");
    expect((await hubTask(swarm.hub, "lexer")).subjects).toEqual([
      "claim: lexer (agent-c)",
      "block: lexer (agent-b)",
      "claim: lexer (agent-b)",
      "done: lexer (agent-a)",
      "claim: lexer (agent-a)",
    ]);
  });

  it("recurring swarm- tasks: claimable only as recurring, again after each done, landing without a check-off", async () => {
    const ws = await swarm.clone("coalescer");
    expect(
      await claimTask(ws, {
        taskId: "swarm-coalesce",
        agent: "coalescer",
        leaseMs: 60_000,
      }),
    ).toMatchObject({ outcome: "refused", reason: "unknown-task" });
    expect(
      await claimTask(ws, {
        taskId: "lexer",
        agent: "coalescer",
        leaseMs: 60_000,
        recurring: true,
      }),
    ).toMatchObject({ outcome: "refused", reason: "unknown-task" });
    for (let round = 1; round <= 2; round += 1) {
      const won = await claimTask(ws, {
        taskId: "swarm-coalesce",
        agent: "coalescer",
        leaseMs: 60_000,
        recurring: true,
      });
      if (won.outcome !== "won")
        throw new Error(`round ${round}: ${won.outcome}`);
      await ws.git.run([
        "checkout",
        "--quiet",
        "-B",
        won.lock.branch,
        "origin/main",
      ]);
      await writeFile(path.join(ws.dir, `merged-${round}.txt`), "x\n");
      await ws.git.run(["add", "."]);
      await ws.git.run(["commit", "--quiet", "-m", "coalesce"]);
      const end = await finishTask(ws, {
        taskId: "swarm-coalesce",
        agent: "coalescer",
        claimId: won.lock.claimId,
        work: "HEAD",
      });
      expect(end.outcome).toBe("landed");
    }
    expect(await swarm.hub.run(["show", "main:PROGRESS.md"])).toBe(PROGRESS);
    expect((await hubMain(swarm.hub)).subjects).toEqual([
      "done: swarm-coalesce — swarm-coalesce",
      "done: swarm-coalesce — swarm-coalesce",
      "seed",
    ]);
  });

  it("release records the reason on the task ref (main untouched); block marks the task blocked on main", async () => {
    const ws = await swarm.clone("agent-a");
    const first = await claimTask(ws, {
      taskId: "lexer",
      agent: "agent-a",
      leaseMs: 60_000,
    });
    if (first.outcome !== "won") throw new Error("claim failed");
    expect(
      await releaseTask(ws, {
        taskId: "lexer",
        agent: "agent-a",
        claimId: first.lock.claimId,
        reason: "out of ideas",
      }),
    ).toMatchObject({ outcome: "landed" });
    expect(await swarm.hub.run(["show", "main:PROGRESS.md"])).toBe(PROGRESS);
    const released = parseMarker((await hubTask(swarm.hub, "lexer")).text);
    expect(released.ok && released.marker).toMatchObject({
      state: "released",
      reason: "out of ideas",
      agent: "agent-a",
    });
    const second = await claimTask(ws, {
      taskId: "lexer",
      agent: "agent-a",
      leaseMs: 60_000,
    });
    if (second.outcome !== "won") throw new Error("re-claim failed");
    expect(
      await blockTask(ws, {
        taskId: "lexer",
        agent: "agent-a",
        claimId: second.lock.claimId,
        reason: "needs a human",
      }),
    ).toMatchObject({ outcome: "landed" });
    expect((await hubMain(swarm.hub)).files).toEqual(["PROGRESS.md"]);
    expect((await hubMain(swarm.hub)).subjects).toEqual([
      "block: lexer (agent-a)",
      "seed",
    ]);
    expect(
      await claimTask(ws, { taskId: "lexer", agent: "agent-b", leaseMs: 1000 }),
    ).toMatchObject({ outcome: "refused", reason: "blocked" });
  });
});
