/**
 * How long the supervisor waits before respawning a dead agent: doubling from a base, capped, half
 * jittered, so agents that died together (a hub outage) neither respawn at once nor all together.
 */

/** The delay before respawn number `respawns + 1`: base·2^n, up to 60 s, half of it jittered. Pure but for `random`. */
export function respawnDelayMs(
  respawns: number,
  baseMs = 1_000,
  random: () => number = Math.random,
): number {
  const full = Math.min(60_000, baseMs * 2 ** respawns);
  return Math.round(full / 2 + random() * (full / 2));
}
