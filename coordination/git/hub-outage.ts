/**
 * Riding out a hub outage (issue 19): a fetch, push or ls-remote (Git.tryRun) that fails because the hub cannot be reached
 * (a Wi-Fi blip, a git server restarting, a hub directory moved away) is retried with jittered
 * backoff until the outage has lasted the process's window (`hubOutage` in gitswarm.config.yaml,
 * default 5 min); only then does the failure surface. The outage is one per process, so every
 * caller sees the same "unreachable since"; listeners hear when it starts and ends. The window is 0
 * (fail at once, as before) until a runner or agent process configures it.
 */
import { backoffDelayMs, sleep } from "./backoff.js";

/** A change of the hub's reachability, as this process saw it. */
export type HubState =
  | { state: "unreachable"; since: number; detail: string }
  | { state: "reachable"; since: number; downMs: number };

let windowMs = 0;
let downSince: number | undefined;
const listeners: ((change: HubState) => void)[] = [];

/** Sets how long this process retries an unreachable hub before giving up (0: never retry). */
export function setHubOutageWindow(ms: number): void {
  windowMs = Math.max(0, ms);
}

/** Subscribes to the hub becoming unreachable and reachable again. */
export function onHubStateChange(listener: (change: HubState) => void): void {
  listeners.push(listener);
}

// What git says when the other end is not there (a local path, ssh, http); never a rejection.
// Over http(s): a server not listening or gone mid-request ("unable to access", "RPC failed" with
// a 5xx or a broken connection), and a hub path it does not serve (404 "repository '…' not
// found", as a moved local hub "does not appear to be a git repository").
const UNREACHABLE =
  /does not appear to be a git repository|Could not read from remote repository|unable to access|Could not resolve host|Connection (?:refused|reset|timed out)|Operation timed out|early EOF|remote end hung up|Repository not found|repository '[^']*' not found|RPC failed; (?:HTTP 5\d\d|curl (?:7|28|52|55|56)\b)|Network is unreachable|unable to connect|killed after \d+ ms/i;

// The hub answered and said no: a rejected ref (a lost compare-and-swap, a fenced atomic push), or
// a fetched ref it does not have (a runner's first announcement). Over ssh git may still end these
// with "the remote end hung up", which is not an outage.
const REJECTED =
  /\[rejected\]|\[remote rejected\]|stale info|atomic push failed|non-fast-forward|fetch first|couldn't find remote ref/i;

// The hub answered and refused who we are: a bad token or key does not heal by waiting, so it
// surfaces at once (git's own words name the cause) instead of after the whole outage window.
const DENIED =
  /Authentication failed|returned error: 40[13]\b|HTTP 40[13]\b|Permission denied \(|Host key verification failed/i;

/** Whether a failed git network command failed because the hub cannot be reached. Pure. */
export function isHubUnreachable(stderr: string): boolean {
  return (
    UNREACHABLE.test(stderr) && !REJECTED.test(stderr) && !DENIED.test(stderr)
  );
}

/**
 * Runs `attempt` (a fetch or push) and retries it while the hub is unreachable and the outage is
 * younger than the window; returns the last result either way (the caller reports a failure).
 */
export async function retryWhileHubDown<
  R extends { ok: boolean; stderr: string },
>(attempt: () => Promise<R>, signal?: AbortSignal): Promise<R> {
  for (let round = 0; ; round += 1) {
    const result = await attempt();
    const down = !result.ok && isHubUnreachable(result.stderr);
    if (!down) {
      if (result.ok) markUp();
      return result;
    }
    const since = markDown(result.stderr);
    if (Date.now() - since >= windowMs || signal?.aborted) return result;
    // 0.5 s doubling to 10 s, full jitter on top of a floor: agents spread out, never spin.
    const wait = 250 + backoffDelayMs(round, 500, 10_000);
    const left = windowMs - (Date.now() - since);
    try {
      await sleep(Math.min(wait, Math.max(left, 0)), signal);
    } catch {
      return result;
    }
  }
}

function markDown(stderr: string): number {
  if (downSince !== undefined) return downSince;
  downSince = Date.now();
  const detail = stderr.trim().split("\n").slice(-1)[0] ?? "";
  for (const listener of listeners)
    listener({ state: "unreachable", since: downSince, detail });
  return downSince;
}

function markUp(): void {
  if (downSince === undefined) return;
  const change: HubState = {
    state: "reachable",
    since: Date.now(),
    downMs: Date.now() - downSince,
  };
  downSince = undefined;
  for (const listener of listeners) listener(change);
}
