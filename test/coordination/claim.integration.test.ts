import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { claimTask } from "../../coordination/claim.js";
import {
  finishTask,
  releaseTask,
  blockTask,
} from "../../coordination/finish.js";
import { parseLock } from "../../coordination/lock-file.js";
import { parseTrailers } from "../../coordination/trailers.js";
import {
  createSwarmFixture,
  hubMain,
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

  it("wins an open task: one commit on main adding locks/<task>.md with trailers", async () => {
    const ws = await swarm.clone("agent-a");
    const result = await claimTask(ws, {
      taskId: "lexer",
      agent: "agent-a",
      leaseMs: 60_000,
    });
    expect(result.outcome).toBe("won");
    if (result.outcome !== "won") return;
    const lockText = await swarm.hub.run(["show", "main:locks/lexer.md"]);
    const parsed = parseLock(lockText);
    expect(parsed.ok && parsed.lock).toMatchObject({
      task: "lexer",
      agent: "agent-a",
      claimId: result.lock.claimId,
      branch: "swarm/agent-a/lexer",
    });
    const message = await swarm.hub.run(["log", "-1", "--format=%B", "main"]);
    expect(Object.fromEntries(parseTrailers(message))).toEqual({
      "Swarm-Action": "claim",
      "Swarm-Task": "lexer",
      "Swarm-Agent": "agent-a",
      "Swarm-Claim": result.lock.claimId,
    });
    expect((await swarm.hub.run(["rev-parse", "main"])).trim()).toBe(
      result.commit,
    );
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
    expect((await hubMain(swarm.hub)).subjects).toEqual([
      "claim: lexer (agent-a)",
      "seed",
    ]);
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

  it("finishes in ONE commit: the work, the lock removed, the task checked off", async () => {
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
      "claim: lexer (agent-a)",
      "seed",
    ]);
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
      "D\tlocks/lexer.md",
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
  });

  it("release records the reason; block marks the task blocked; both remove the lock", async () => {
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
    expect(await swarm.hub.run(["show", "main:PROGRESS.md"])).toContain(
      "- [ ] lexer: Tokenise SQL\n  - note: released by agent-a: out of ideas\n",
    );
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
    expect(
      await claimTask(ws, { taskId: "lexer", agent: "agent-b", leaseMs: 1000 }),
    ).toMatchObject({ outcome: "refused", reason: "blocked" });
  });
});
