/**
 * Whose lock is it: a lock is "mine" only when this runner wrote it. The same agent name on two
 * hosts (or in two clones on one host) is two agents, so a name match alone never resumes a claim.
 * Pure functions over plain data.
 */
import type { Lock } from "../state/lock-file.js";

/** The runner that asks to claim: its fleet-unique id and host, and what else of it is alive. */
export interface RunnerSelf {
  /** The runner id (`<host>-<random>`), as locks record it. */
  id: string;
  /** The host name, as locks record it. */
  host: string;
  /**
   * Set when a live process of this runner other than the asker holds its claims (a human's CLI
   * in a checkout where `gitswarm run` is running): says which, and nothing of ours is resumed.
   */
  busy?: string;
  /** Take over exactly this claim (`--resume CLAIM-ID`), whichever runner made it. */
  resumeClaim?: string;
}

/**
 * True when the asker may resume `lock`: the same agent name, no live process of the runner holds
 * it, and either the lock was written by this runner or the asker names its claim id explicitly. A
 * lock written before runner ids existed (no `runner`) is resumed by name, as then. Without `runner`, the name alone decides (callers that
 * predate runner ids).
 */
export function ownsLock(
  lock: Lock,
  asker: { agent: string; runner?: RunnerSelf },
): boolean {
  if (lock.agent !== asker.agent) return false;
  const me = asker.runner;
  if (me === undefined) return true;
  if (me.busy !== undefined) return false;
  if (me.resumeClaim !== undefined && me.resumeClaim === lock.claimId)
    return true;
  // A lock from before runner ids: the name decides, as it did when it was written.
  return lock.runner === undefined || lock.runner === me.id;
}

/**
 * Whether an agent holds `lock` in this runner: its name, and this runner's id where both the lock
 * and the asker record one (another host's agent of the same name is another agent). Pure.
 */
export function heldBySelf(
  lock: Pick<Lock, "agent" | "runner">,
  agent: string,
  runner: string | undefined,
): boolean {
  return (
    lock.agent === agent &&
    (lock.runner === undefined ||
      runner === undefined ||
      lock.runner === runner)
  );
}

/**
 * Why `lock` is not the asker's to heartbeat or release without its claim id (the CLI's `--as NAME`
 * with no `--claim`): another agent name, or the same name written by another runner (another host
 * or clone). Undefined when it is the asker's. A lock from before runner ids goes by its name. Pure.
 */
export function notHeldBy(
  lock: Lock,
  asker: { agent: string; runner: string },
): string | undefined {
  if (lock.agent !== asker.agent)
    return `held by ${agentLabel(lock)}, not by ${asker.agent}`;
  if (lock.runner === undefined || lock.runner === asker.runner)
    return undefined;
  return (
    `held by ${agentLabel(lock)} of runner ${lock.runner}, not by this checkout's runner ${asker.runner}` +
    ` (the same agent name on another host or clone is another agent); name the claim with --claim ${lock.claimId} to act on it anyway`
  );
}

/** An agent as people read it across a fleet: `bot-1@ws-3`. */
export function agentLabel(lock: Pick<Lock, "agent" | "host">): string {
  return `${lock.agent}@${lock.host}`;
}

/**
 * Display names for the holders of `locks`: the bare agent name where it is unique among them, else
 * `agent@host` (`agent@runner-id` where one host runs several runners).
 */
export function agentLabels(
  locks: readonly Pick<Lock, "agent" | "host" | "runner">[],
): string[] {
  const runnersOf = new Map<string, Set<string>>();
  const hostsOf = new Map<string, Set<string>>();
  for (const lock of locks) {
    const who = lock.runner ?? lock.host;
    runnersOf.set(
      lock.agent,
      (runnersOf.get(lock.agent) ?? new Set()).add(who),
    );
    hostsOf.set(
      lock.agent,
      (hostsOf.get(lock.agent) ?? new Set()).add(lock.host),
    );
  }
  return locks.map((lock) => {
    const runners = runnersOf.get(lock.agent)?.size ?? 1;
    if (runners <= 1) return lock.agent;
    const hosts = hostsOf.get(lock.agent)?.size ?? 1;
    return hosts === runners
      ? agentLabel(lock)
      : `${lock.agent}@${lock.runner ?? lock.host}`;
  });
}
