/**
 * Issue 19 item 4, the parts without processes: which git failures mean "the hub is not there",
 * the retry loop riding out an outage within its window (a fake fetch that fails, then works), the
 * runner's decision to end the run only past the window (fake clock), and the respawn backoff.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  isHubUnreachable,
  onHubStateChange,
  retryWhileHubDown,
  setHubOutageWindow,
  type HubState,
} from "../../../coordination/git/hub-outage.js";
import { watchHubOutage } from "../../../runner/swarm/hub-watch.js";
import { respawnDelayMs } from "../../../runner/swarm/respawn-delay.js";
import type { SwarmEvent } from "../../../coordination/base/events.js";

const GONE =
  "fatal: '/tmp/x/.gitswarm/hub.git' does not appear to be a git repository\nfatal: Could not read from remote repository.";

describe("an unreachable hub", () => {
  afterEach(() => {
    setHubOutageWindow(0);
    vi.useRealTimers();
  });

  it("is told apart from a rejection", () => {
    expect(isHubUnreachable(GONE)).toBe(true);
    expect(
      isHubUnreachable(
        "fatal: unable to access 'https://h/x.git/': Could not resolve host: h",
      ),
    ).toBe(true);
    expect(
      isHubUnreachable(
        " ! [rejected] main -> main (fetch first)\nerror: failed to push some refs",
      ),
    ).toBe(false);
    // Over http(s): a server that is not there, one that fails mid-request, a path it does not
    // serve; a rejected push over http is still a rejection.
    for (const down of [
      "fatal: unable to access 'http://10.77.0.1:8080/hub.git/': Failed to connect to 10.77.0.1 port 8080 after 3061 ms: Couldn't connect to server",
      "fatal: unable to access 'https://h/x.git/': The requested URL returned error: 503",
      "error: RPC failed; HTTP 502 curl 22 The requested URL returned error: 502\nsend-pack: unexpected disconnect while reading sideband packet",
      "error: RPC failed; curl 56 Recv failure: Connection reset by peer",
      "fatal: repository 'http://127.0.0.1:45081/hub.git/' not found",
    ])
      expect(isHubUnreachable(down), down).toBe(true);
    expect(
      isHubUnreachable(
        "To http://10.77.0.1:8080/hub.git\n ! [rejected]        HEAD -> main (stale info)\n ! [rejected]        HEAD -> z (atomic push failed)\nerror: failed to push some refs to 'http://10.77.0.1:8080/hub.git'",
      ),
    ).toBe(false);
    // A hub that refuses our credentials is not down: waiting would not fix a bad token or key.
    for (const denied of [
      "remote: Invalid username or token.\nfatal: Authentication failed for 'https://h/x.git/'",
      "fatal: unable to access 'https://h/x.git/': The requested URL returned error: 403",
      "error: RPC failed; HTTP 401 curl 22 The requested URL returned error: 401",
      "git@h: Permission denied (publickey).\nfatal: Could not read from remote repository.",
      "Host key verification failed.\nfatal: Could not read from remote repository.",
    ])
      expect(isHubUnreachable(denied), denied).toBe(false);
    // A fenced atomic push that git ends with a hang-up is still a rejection (the lander must
    // re-read, not ride it out as an outage for minutes).
    expect(
      isHubUnreachable(
        " ! [rejected] main -> main (stale info)\nerror: atomic push failed for ref refs/heads/main. status: 2\nfatal: the remote end hung up unexpectedly\nerror: failed to push some refs",
      ),
    ).toBe(false);
    // A ref the hub does not have, fetched over ssh: the hub answered (a runner's first
    // announcement fetches its own ref); retrying it as an outage stalled every ssh run.
    expect(
      isHubUnreachable(
        "fatal: couldn't find remote ref refs/swarm/runners/host-a-693151\nfatal: the remote end hung up unexpectedly",
      ),
    ).toBe(false);
  });

  it("is retried within the window, and the outage is reported once each way", async () => {
    setHubOutageWindow(60_000);
    const changes: HubState["state"][] = [];
    onHubStateChange((c) => changes.push(c.state));
    let calls = 0;
    const result = await retryWhileHubDown(async () => {
      calls += 1;
      return calls < 3 ? { ok: false, stderr: GONE } : { ok: true, stderr: "" };
    });
    expect(result.ok).toBe(true);
    expect(calls).toBe(3);
    expect(changes).toEqual(["unreachable", "reachable"]);
  });

  it("is not retried without a window, nor a rejection ever", async () => {
    let calls = 0;
    const gone = await retryWhileHubDown(async () => {
      calls += 1;
      return { ok: false, stderr: GONE };
    });
    expect(gone.ok).toBe(false);
    expect(calls).toBe(1);
    setHubOutageWindow(60_000);
    const rejected = await retryWhileHubDown(async () => {
      calls += 1;
      return { ok: false, stderr: "error: failed to push some refs" };
    });
    expect(rejected.ok).toBe(false);
    expect(calls).toBe(2);
  });

  it("ends the run only once it has lasted longer than the window", () => {
    vi.useFakeTimers();
    const reasons: string[] = [];
    const watch = watchHubOutage(60_000, (r) => reasons.push(r));
    const at = (state: "unreachable" | "reachable"): SwarmEvent => ({
      time: new Date().toISOString(),
      type: "hub",
      agent: "a1",
      state,
      since: new Date().toISOString(),
    });
    watch.onEvent(at("unreachable"));
    vi.advanceTimersByTime(30_000);
    watch.onEvent(at("reachable"));
    vi.advanceTimersByTime(120_000);
    expect(reasons).toEqual([]);
    watch.onEvent(at("unreachable"));
    vi.advanceTimersByTime(59_000);
    expect(reasons).toEqual([]);
    vi.advanceTimersByTime(3_000);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(
      /^the hub has been unreachable since .* run again to resume$/,
    );
    expect(watch.reason()).toBe(reasons[0]);
  });
});

describe("respawn backoff", () => {
  it("doubles from 1 s, half jittered, capped at 60 s", () => {
    expect(respawnDelayMs(0, 1_000, () => 0)).toBe(500);
    expect(respawnDelayMs(0, 1_000, () => 1)).toBe(1_000);
    expect(respawnDelayMs(2, 1_000, () => 0)).toBe(2_000);
    expect(respawnDelayMs(20, 1_000, () => 1)).toBe(60_000);
  });
});
