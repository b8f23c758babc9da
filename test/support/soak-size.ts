/**
 * How big the race, soak and crash loops run. By default they run at a modest size, so the whole
 * suite stays inside its time budget on CI's two cores; `GITSWARM_SOAK=1` runs every loop at its
 * full size (before a release, or to chase a flaky race).
 */

/** `full` under GITSWARM_SOAK=1, else `modest`; a loop's own env var, when set, wins over both. */
export function soakSize(
  full: number,
  modest: number,
  override?: string | undefined,
): number {
  if (override !== undefined && override !== "") {
    const n = Number(override);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(
        `a loop size must be a whole number ≥ 1, got '${override}'`,
      );
    return n;
  }
  return process.env.GITSWARM_SOAK === "1" ? full : modest;
}
