import { describe, expect, it } from "vitest";
import { parseCatFileBatch } from "../../coordination/git/cat-file.js";
import { checkFence } from "../../coordination/protocol/fencing.js";
import {
  assessLease,
  skewAllowanceMs,
} from "../../coordination/state/lease.js";
import {
  parseLock,
  renderLock,
  type Lock,
} from "../../coordination/state/lock-file.js";
import {
  describeRefusals,
  parsePushPorcelain,
} from "../../coordination/git/push.js";
import {
  readTrailers,
  renderCommitMessage,
} from "../../coordination/git/trailers.js";
import { backoffDelayMs } from "../../coordination/git/backoff.js";

const LOCK: Lock = {
  task: "parser",
  agent: "claude-1",
  host: "ws-3",
  claimId: "9f2c1e0a7b3d4c55",
  claimedAt: "2026-11-21T10:00:00.000Z",
  leaseUntil: "2026-11-21T10:10:00.000Z",
  branch: "swarm/claude-1/parser",
  attempt: 2,
  plan: "Pratt parser first.",
};

describe("lock files", () => {
  it("round-trips through render and parse", () => {
    expect(parseLock(renderLock(LOCK))).toEqual({ ok: true, lock: LOCK });
  });

  it("names the line of a broken or invalid field", () => {
    const text = renderLock(LOCK);
    expect(parseLock(text.replace("attempt: 2", "attempt: [2"))).toMatchObject({
      ok: false,
      problem: expect.stringContaining("broken front matter"),
    });
    expect(parseLock(text.replace('agent: "claude-1"', 'agent: ""'))).toEqual({
      ok: false,
      line: 3,
      problem: "agent: names the holder; it must not be empty",
    });
    expect(
      parseLock(text.replace('"2026-11-21T10:10:00.000Z"', '"next tuesday"')),
    ).toMatchObject({
      ok: false,
      line: 7,
      problem: expect.stringContaining("'next tuesday' is not a date"),
    });
    expect(parseLock("just text\n")).toEqual({
      ok: false,
      line: 1,
      problem:
        "no front matter: a lock starts with a --- block of task, agent, claim, …",
    });
  });

  it("accepts unquoted YAML timestamps written by hand", () => {
    const text = renderLock(LOCK).replace(
      '"2026-11-21T10:00:00.000Z"',
      "2026-11-21T10:00:00Z",
    );
    expect(parseLock(text)).toMatchObject({
      ok: true,
      lock: { claimedAt: "2026-11-21T10:00:00.000Z" },
    });
  });
});

describe("assessLease", () => {
  const at = (iso: string) => new Date(iso);
  it("is live inside the lease, expiring in its last quarter, stale only after lease + skew", () => {
    expect(skewAllowanceMs(600_000)).toBe(30_000);
    expect(assessLease(LOCK, undefined, at("2026-11-21T10:05:00Z")).state).toBe(
      "live",
    );
    expect(assessLease(LOCK, undefined, at("2026-11-21T10:08:00Z")).state).toBe(
      "expiring",
    );
    expect(assessLease(LOCK, undefined, at("2026-11-21T10:10:20Z")).state).toBe(
      "expiring",
    );
    const stale = assessLease(LOCK, undefined, at("2026-11-21T10:10:31Z"));
    expect(stale).toMatchObject({
      state: "stale",
      staleAt: "2026-11-21T10:10:30.000Z",
    });
    expect(stale.evidence).toBe(
      "lease until 2026-11-21T10:10:00.000Z, no heartbeat, lease length 10m00s, checked at 2026-11-21T10:10:31.000Z",
    );
  });

  it("a heartbeat extends life by a lease length from the heartbeat", () => {
    const beat = at("2026-11-21T10:09:00Z");
    expect(assessLease(LOCK, beat, at("2026-11-21T10:15:00Z")).state).toBe(
      "live",
    );
    expect(assessLease(LOCK, beat, at("2026-11-21T10:19:31Z")).state).toBe(
      "stale",
    );
    expect(assessLease(LOCK, beat, at("2026-11-21T10:19:29Z")).state).toBe(
      "expiring",
    );
  });
});

describe("fencing", () => {
  it("passes only the claim id in the lock on the hub", () => {
    const entry = { ok: true as const, file: "locks/parser.md", lock: LOCK };
    expect(checkFence(entry, "parser", LOCK.claimId)).toEqual({
      ok: true,
      lock: LOCK,
    });
    expect(checkFence(entry, "parser", "other")).toMatchObject({
      ok: false,
      holder: LOCK,
    });
    expect(checkFence(undefined, "parser", "x")).toMatchObject({
      ok: false,
      message: expect.stringContaining("no lock on the hub"),
    });
  });
});

describe("git output parsers", () => {
  it("reads push --porcelain lines, including rejections", () => {
    const out =
      "To /hub.git\n!\tabc:refs/heads/main\t[rejected] (fetch first)\n \tdef:refs/heads/swarm/a/b\t1111..2222\nDone\n";
    expect(parsePushPorcelain(out)).toEqual([
      {
        flag: "!",
        from: "abc",
        to: "refs/heads/main",
        summary: "[rejected] (fetch first)",
      },
      {
        flag: " ",
        from: "def",
        to: "refs/heads/swarm/a/b",
        summary: "1111..2222",
      },
    ]);
  });

  it("names a fenced atomic push's cause and counts the refs it only held back", () => {
    const out =
      "!\tHEAD:refs/heads/main\t[rejected] (stale info)\n!\tx:refs/swarm/tasks/a\t[rejected] (atomic push failed)\n!\ty:refs/swarm/tasks/b\t[rejected] (atomic push failed)\n";
    expect(describeRefusals(parsePushPorcelain(out))).toBe(
      "refs/heads/main [rejected] (stale info); 2 other ref(s) held back with it (one atomic push)",
    );
  });

  it("reads cat-file --batch output byte-exactly, with missing objects", () => {
    const body = Buffer.from("héllo\n");
    const out = Buffer.concat([
      Buffer.from(`1234 blob ${body.length}\n`),
      body,
      Buffer.from("\nmain:nope missing\n"),
    ]);
    const [first, second] = parseCatFileBatch(out, ["main:a", "main:nope"]);
    expect(first).toMatchObject({ missing: false, oid: "1234", type: "blob" });
    expect(
      Buffer.from(first?.missing === false ? first.content : []).toString(),
    ).toBe("héllo\n");
    expect(second).toEqual({ name: "main:nope", missing: true });
  });
});

describe("trailers and backoff", () => {
  it("renders a message whose last paragraph is the trailer block", () => {
    const message = renderCommitMessage({
      action: "break",
      subject: "break: x",
      body: "why\nbecause",
      task: "x",
      agent: "a",
      extra: { "Swarm-Evidence": "lease\nexpired" },
    });
    expect(message).toBe(
      "break: x\n\nwhy\nbecause\n\nSwarm-Action: break\nSwarm-Task: x\nSwarm-Agent: a\nSwarm-Evidence: lease expired\n",
    );
    expect(Object.fromEntries(readTrailers(message))).toEqual({
      "Swarm-Action": "break",
      "Swarm-Task": "x",
      "Swarm-Agent": "a",
      "Swarm-Evidence": "lease expired",
    });
    expect(readTrailers("subject only\n").size).toBe(0);
  });

  it("backs off with full jitter under a cap", () => {
    expect(backoffDelayMs(0, 25, 1000, () => 0.999)).toBe(24);
    expect(backoffDelayMs(3, 25, 1000, () => 0.5)).toBe(100);
    expect(backoffDelayMs(10, 25, 1000, () => 0.999)).toBe(999);
  });
});
