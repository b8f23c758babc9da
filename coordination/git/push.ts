/**
 * The compare-and-swap at the heart of the protocol: pushing a commit whose parent is the ref value
 * we read (a task ref for claims, releases and breaks; main and a task ref at once for done and
 * block). Git's atomic ref update on the hub accepts it only if the ref has not moved; anything
 * else is a rejection, and the caller re-reads the hub and decides again from scratch.
 */
import { SwarmError } from "../base/errors.js";
import { NETWORK_TIMEOUT_MS, gitFailure } from "./git.js";
import { retryOnStaleGitLock } from "./lock-recovery.js";
import type { Workspace } from "./workspace.js";

export type PushOutcome =
  { ok: true } | { ok: false; rejected: true; detail: string };

/** One ref's line of `git push --porcelain` output. */
export interface PushedRef {
  flag: string;
  from: string;
  to: string;
  summary: string;
}

/** Pushes `commit` to the hub's main. A non-fast-forward or lost ref race is `rejected`. */
export async function pushToMain(
  ws: Workspace,
  commit: string,
  signal?: AbortSignal,
): Promise<PushOutcome> {
  return pushRef(ws, commit, `refs/heads/${ws.branch}`, { signal });
}

/** Pushes `source` to `target` on the hub (never forced: a non-fast-forward is `rejected`). */
export async function pushRef(
  ws: Workspace,
  source: string,
  target: string,
  options: { signal?: AbortSignal } = {},
): Promise<PushOutcome> {
  const args = [
    "push",
    "--porcelain",
    "--quiet",
    ws.remote,
    `${source}:${target}`,
  ];
  const result = await retryOnStaleGitLock(ws.dir, () =>
    ws.git.tryRun(args, {
      timeoutMs: NETWORK_TIMEOUT_MS,
      signal: options.signal,
    }),
  );
  const line = parsePushPorcelain(result.stdout).find(
    (ref) => ref.to === target,
  );
  if (result.ok && line?.flag !== "!") return { ok: true };
  if (line?.flag === "!")
    return { ok: false, rejected: true, detail: line.summary };
  throw new SwarmError(
    "push-failed",
    gitFailure(ws.dir, args, result).message,
    { cause: result },
  );
}

/** One ref an atomic push moves; `expect` is the value the hub's ref must still have. */
export interface RefUpdate {
  source: string;
  target: string;
  expect?: string;
}

/**
 * Pushes several refs in ONE `git push --atomic`: the hub moves all of them or none. Each
 * `expect` is enforced by the hub (`--force-with-lease=<ref>:<old>`; the hub also refuses any
 * non-fast-forward). Any refused ref is `rejected`; a hub without atomic push is a SwarmError.
 */
export async function pushAtomic(
  ws: Workspace,
  updates: readonly RefUpdate[],
  options: { signal?: AbortSignal } = {},
): Promise<PushOutcome> {
  const args = [
    "push",
    "--atomic",
    "--porcelain",
    "--quiet",
    ...updates.flatMap((u) =>
      u.expect === undefined
        ? []
        : [`--force-with-lease=${u.target}:${u.expect}`],
    ),
    ws.remote,
    ...updates.map((u) => `${u.source}:${u.target}`),
  ];
  const result = await retryOnStaleGitLock(ws.dir, () =>
    ws.git.tryRun(args, {
      timeoutMs: NETWORK_TIMEOUT_MS,
      signal: options.signal,
    }),
  );
  const lines = parsePushPorcelain(result.stdout);
  const refused = lines.filter((line) => line.flag === "!");
  if (result.ok && refused.length === 0) return { ok: true };
  if (refused.length > 0)
    return {
      ok: false,
      rejected: true,
      detail: describeRefusals(refused),
    };
  throw new SwarmError(
    "push-failed",
    gitFailure(ws.dir, args, result).message,
    { cause: result },
  );
}

/** Parses `git push --porcelain` output into one entry per ref. Pure. */
export function parsePushPorcelain(stdout: string): PushedRef[] {
  const refs: PushedRef[] = [];
  for (const line of stdout.split("\n")) {
    const match = /^([ +\-*!=])\t([^:\t]*):([^\t]+)\t(.*)$/.exec(line);
    if (match)
      refs.push({
        flag: match[1] ?? "",
        from: match[2] ?? "",
        to: match[3] ?? "",
        summary: match[4] ?? "",
      });
  }
  return refs;
}

/**
 * Refused refs in words: those refused for a cause (stale info, fetch first) by name; those an
 * atomic push only held back with them ("atomic push failed") counted, not listed as failures.
 */
export function describeRefusals(refused: readonly PushedRef[]): string {
  const heldBack = (l: PushedRef) => /atomic push failed/.test(l.summary);
  const causes = refused.filter((l) => !heldBack(l));
  if (causes.length === 0)
    return refused.map((l) => `${l.to} ${l.summary}`).join("; ");
  const held = refused.length - causes.length;
  return [
    ...causes.map((l) => `${l.to} ${l.summary}`),
    ...(held > 0
      ? [`${held} other ref(s) held back with it (one atomic push)`]
      : []),
  ].join("; ");
}
