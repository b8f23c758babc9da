/** Runner identity on plain data: whose lock is "mine", how holders are named, the lock's runner field. */
import { describe, expect, it } from "vitest";
import { decideClaim } from "../../coordination/protocol/claim-decision.js";
import {
  agentLabels,
  notHeldBy,
  ownsLock,
  type RunnerSelf,
  heldBySelf,
} from "../../coordination/protocol/lock-owner.js";
import { formatLocks } from "../../runner/cli/commands/task/locks.js";
import { newRunnerId } from "../../coordination/git/runner-id.js";
import type { TaskRefState } from "../../coordination/state/hub-view.js";
import {
  parseLock,
  renderLock,
  type Lock,
} from "../../coordination/state/lock-file.js";
import { parseProgress } from "../../coordination/progress/parse.js";

const OPEN = parseProgress("# Progress\n\n- [ ] t1: T\n", "PROGRESS.md");
const lock: Lock = {
  task: "t1",
  agent: "bot-1",
  host: "ws-a",
  runner: "ws-a-1a2b3c",
  claimId: "0123456789abcdef",
  claimedAt: "2026-11-21T10:00:00.000Z",
  leaseUntil: "2026-11-21T10:10:00.000Z",
  branch: "swarm/bot-1/t1",
  attempt: 1,
  plan: "",
};
const A: RunnerSelf = { id: "ws-a-1a2b3c", host: "ws-a" };
const B: RunnerSelf = { id: "ws-b-4d5e6f", host: "ws-b" };
const ref = (l: Lock): TaskRefState => ({
  taskId: "t1",
  commit: "c1",
  lock: { ok: true, file: "locks/t1.md", lock: l },
});
const decide = (l: Lock, agent: string, runner?: RunnerSelf) =>
  decideClaim({
    progress: OPEN,
    archivedIds: [],
    taskRef: ref(l),
    taskId: "t1",
    agent,
    ...(runner === undefined ? {} : { runner }),
  });

describe("whose lock is it", () => {
  it("the runner that wrote the lock resumes it; another runner under the same name finds it held", () => {
    expect(decide(lock, "bot-1", A)).toMatchObject({ ok: "mine" });
    const other = decide(lock, "bot-1", B);
    expect(other).toMatchObject({ ok: false, reason: "held" });
    expect(other.ok === false && other.message).toContain(
      "is held by bot-1@ws-a",
    );
    expect(other.ok === false && other.message).toContain(
      "gitswarm locks break t1",
    );
    expect(other.ok === false && other.message).toContain(
      `--resume ${lock.claimId}`,
    );
  });

  it("two runners on one host are two runners", () => {
    const sameHost = { id: "ws-a-999999", host: "ws-a" };
    expect(decide(lock, "bot-1", sameHost)).toMatchObject({ reason: "held" });
  });

  it("a different agent name never resumes, even from the same runner", () => {
    expect(decide(lock, "bot-2", A)).toMatchObject({ reason: "held" });
  });

  it("nothing is resumed while a live process of the runner holds its claims", () => {
    const busy = decide(lock, "bot-1", {
      ...A,
      busy: "the gitswarm run in /r",
    });
    expect(busy).toMatchObject({ ok: false, reason: "held" });
    expect(busy.ok === false && busy.message).toContain(
      "the gitswarm run in /r holds it",
    );
  });

  it("--resume CLAIM-ID takes over that claim only, under the same name", () => {
    const resume = { ...B, resumeClaim: lock.claimId };
    expect(decide(lock, "bot-1", resume)).toMatchObject({ ok: "mine" });
    expect(
      decide(lock, "bot-1", { ...B, resumeClaim: "ffffffffffffffff" }),
    ).toMatchObject({ reason: "held" });
    expect(decide(lock, "bot-2", resume)).toMatchObject({ reason: "held" });
  });

  it("a lock written before runner ids is resumed by its name, as it was then", () => {
    const { runner: _, ...legacy } = lock;
    expect(ownsLock(legacy, { agent: "bot-1", runner: B })).toBe(true);
    expect(ownsLock(legacy, { agent: "bot-2", runner: B })).toBe(false);
  });

  it("recurring system tasks follow the same rule", () => {
    const sys = { ...lock, task: "swarm-coalesce" };
    const input = {
      progress: OPEN,
      archivedIds: [],
      taskRef: { ...ref(sys), taskId: "swarm-coalesce" },
      taskId: "swarm-coalesce",
      agent: "bot-1",
      recurring: true,
    };
    expect(decideClaim({ ...input, runner: A })).toMatchObject({ ok: "mine" });
    expect(decideClaim({ ...input, runner: B })).toMatchObject({
      reason: "held",
    });
  });
});

describe("holder names across a fleet", () => {
  it("bare where a name is unique, agent@host where runners share it, agent@runner on one host", () => {
    const onB = { ...lock, host: "ws-b", runner: "ws-b-4d5e6f" };
    const solo = { ...lock, agent: "solo" };
    expect(agentLabels([lock, onB, solo])).toEqual([
      "bot-1@ws-a",
      "bot-1@ws-b",
      "solo",
    ]);
    const twin = { ...lock, runner: "ws-a-777777" };
    expect(agentLabels([lock, twin])).toEqual([
      "bot-1@ws-a-1a2b3c",
      "bot-1@ws-a-777777",
    ]);
  });
});

describe("heartbeat and release by name (--as, no --claim)", () => {
  it("act only on a lock of the same agent AND the same runner", () => {
    expect(notHeldBy(lock, { agent: "bot-1", runner: A.id })).toBeUndefined();
    const other = notHeldBy(lock, { agent: "bot-1", runner: B.id });
    expect(other).toContain("held by bot-1@ws-a of runner ws-a-1a2b3c");
    expect(other).toContain(`--claim ${lock.claimId}`);
    expect(notHeldBy(lock, { agent: "bot-2", runner: A.id })).toBe(
      "held by bot-1@ws-a, not by bot-2",
    );
    const { runner: _, ...legacy } = lock;
    expect(notHeldBy(legacy, { agent: "bot-1", runner: B.id })).toBeUndefined();
  });
});

describe("gitswarm locks / status name holders across the fleet", () => {
  it("shows agent@host where two runners hold locks under one name", () => {
    const onB = {
      ...lock,
      task: "t2",
      host: "ws-b",
      runner: "ws-b-4d5e6f",
      claimId: "fedcba9876543210",
    };
    const text = formatLocks(
      [lock, onB].map((l) => ({
        entry: { ok: true as const, file: `locks/${l.task}.md`, lock: l },
      })),
    );
    expect(text).toMatch(/^t1 +bot-1@ws-a /m);
    expect(text).toMatch(/^t2 +bot-1@ws-b /m);
    expect(
      formatLocks([{ entry: { ok: true, file: "locks/t1.md", lock } }]),
    ).toMatch(/^t1 +bot-1 /m);
  });
});

describe("the lock's runner field", () => {
  it("round-trips, and a lock without it still parses", () => {
    expect(parseLock(renderLock(lock))).toEqual({ ok: true, lock });
    const { runner: _, ...legacy } = lock;
    expect(renderLock(legacy)).not.toContain("runner:");
    expect(parseLock(renderLock(legacy))).toEqual({ ok: true, lock: legacy });
  });
  it("an empty runner id is named with its line", () => {
    const text = renderLock(lock).replace(
      'runner: "ws-a-1a2b3c"',
      'runner: ""',
    );
    expect(parseLock(text)).toMatchObject({ ok: false, line: 5 });
  });
  it("runner ids carry the host and differ per runner", () => {
    const a = newRunnerId("build box #3");
    expect(a).toMatch(/^build-box-3-[0-9a-f]{6}$/);
    expect(newRunnerId("build box #3")).not.toBe(a);
    expect(newRunnerId("...")).toMatch(/^host-[0-9a-f]{6}$/);
  });
});

describe("heldBySelf", () => {
  it("is the name and, where both record one, the runner", () => {
    const lock = { agent: "bot-1", runner: "host-a-1a2b3c" };
    expect(heldBySelf(lock, "bot-1", "host-a-1a2b3c")).toBe(true);
    // Another host's bot-1 is another agent: the agent loop must not try to resume its claim.
    expect(heldBySelf(lock, "bot-1", "host-b-4d5e6f")).toBe(false);
    expect(heldBySelf(lock, "bot-2", "host-a-1a2b3c")).toBe(false);
    // A lock from before runner ids, or an asker without one: the name decides.
    expect(heldBySelf({ agent: "bot-1" }, "bot-1", "host-b-4d5e6f")).toBe(true);
    expect(heldBySelf(lock, "bot-1", undefined)).toBe(true);
  });
});
