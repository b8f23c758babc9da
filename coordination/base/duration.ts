/** Durations as people write them on the command line and in config: `500ms`, `90s`, `30m`, `2h`. */

const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
} as const;

/** Parses `90s`, `1.5m`, `250ms` or a bare number of seconds into milliseconds; undefined if invalid. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (match === null) return undefined;
  const unit = (match[2] ?? "s") as keyof typeof UNIT_MS;
  // Round before the checks: `0.4ms` is 0 ms, not a positive duration.
  const value = Math.round(Number(match[1]) * UNIT_MS[unit]);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** The shortest lease a claim may have: git commit times have one-second resolution. */
export const MIN_LEASE_MS = 1000;
/** The longest lease a claim may have: a lock that outlives a month is an abandoned lock. */
export const MAX_LEASE_MS = 30 * UNIT_MS.d;

/** A lease length as written by a user, checked against [MIN_LEASE_MS, MAX_LEASE_MS]. */
export type LeaseParse =
  { ok: true; ms: number } | { ok: false; problem: string };

/** Parses a lease (`90s`, `30m`, `2h`); a value outside 1s..30d is a problem that says the range. */
export function parseLease(text: string): LeaseParse {
  const ms = parseDuration(text);
  if (ms === undefined)
    return {
      ok: false,
      problem: `'${text}' is not a duration (e.g. 90s, 30m, 2h)`,
    };
  if (ms < MIN_LEASE_MS || ms > MAX_LEASE_MS)
    return {
      ok: false,
      problem: `'${text}' is outside the allowed lease range 1s..30d`,
    };
  return { ok: true, ms };
}

/** Formats milliseconds compactly for humans: `850ms`, `12s`, `4m05s`, `2h10m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60)
    return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
