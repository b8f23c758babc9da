/**
 * Lease rules: is a lock's holder alive? A lock carries `lease-until`; the holder shows it is alive
 * by pushing its work branch (heartbeats), which extends the lease by its length from the last
 * heartbeat. A lock is stale only when its lease has expired AND no heartbeat came within a lease
 * length — plus a clock-skew allowance, because heartbeat times come from the holder's clock.
 */
import { formatDuration } from "../base/duration.js";
import type { Lock } from "./lock-file.js";

export const LeaseStates = ["live", "expiring", "stale"] as const;
export type LeaseState = (typeof LeaseStates)[number];

export interface LeaseAssessment {
  state: LeaseState;
  /** When the lock becomes breakable (ISO), skew allowance included. */
  staleAt: string;
  /** One line of evidence for humans and for the break commit. */
  evidence: string;
}

/** Clock skew tolerated between machines: 30 s, or a quarter of a short lease. */
export function skewAllowanceMs(leaseMs: number): number {
  return Math.min(30_000, Math.floor(leaseMs / 4));
}

/** Assesses a lock at `now`, given the time of its holder's last heartbeat (if any). Pure. */
export function assessLease(
  lock: Lock,
  lastHeartbeat: Date | undefined,
  now: Date,
): LeaseAssessment {
  const claimedAt = Date.parse(lock.claimedAt);
  const leaseUntil = Date.parse(lock.leaseUntil);
  const leaseMs = Math.max(1, leaseUntil - claimedAt);
  const lastSign = Math.max(claimedAt, lastHeartbeat?.getTime() ?? claimedAt);
  const aliveUntil = Math.max(leaseUntil, lastSign + leaseMs);
  const staleAt = aliveUntil + skewAllowanceMs(leaseMs);
  const t = now.getTime();
  const state: LeaseState =
    t > staleAt ? "stale" : t > aliveUntil - leaseMs / 4 ? "expiring" : "live";
  const heartbeat = lastHeartbeat
    ? `last heartbeat ${lastHeartbeat.toISOString()} (${formatDuration(t - lastHeartbeat.getTime())} ago)`
    : "no heartbeat";
  const evidence = `lease until ${lock.leaseUntil}, ${heartbeat}, lease length ${formatDuration(leaseMs)}, checked at ${now.toISOString()}`;
  return { state, staleAt: new Date(staleAt).toISOString(), evidence };
}

/** The longest lease a sane lock asks for; anything longer is a broken lock. */
export const MAX_LEASE_MS = 30 * 24 * 3600_000;

/** A lock's times that cannot be true, with the key to point at; undefined when they are sane. Pure. */
export function checkLockTimes(
  lock: Lock,
  now: Date,
): { key: "claimed-at" | "lease-until"; problem: string } | undefined {
  const claimedAt = Date.parse(lock.claimedAt);
  const leaseUntil = Date.parse(lock.leaseUntil);
  const leaseMs = leaseUntil - claimedAt;
  if (leaseMs <= 0)
    return {
      key: "lease-until",
      problem: `lease-until: ${lock.leaseUntil} is not after claimed-at ${lock.claimedAt}: the lease ends before it was claimed`,
    };
  if (leaseMs > MAX_LEASE_MS)
    return {
      key: "lease-until",
      problem: `lease-until: a lease of ${formatDuration(leaseMs)} is longer than 30 days`,
    };
  if (claimedAt > now.getTime() + skewAllowanceMs(leaseMs))
    return {
      key: "claimed-at",
      problem: `claimed-at: ${lock.claimedAt} is in the future (checked at ${now.toISOString()}, beyond the clock-skew allowance)`,
    };
  return undefined;
}
