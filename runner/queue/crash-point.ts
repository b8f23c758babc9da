/**
 * Test-only crash points: the lander's tests SIGKILL a real lander process at a chosen step (after
 * reading the queue, mid-oracle, just before or after the landing push, …) and check that a restart
 * loses nothing and lands nothing twice. A point fires only when `GITSWARM_TEST_LANDER_KILL` names
 * it AND the process runs under the test runner (`VITEST` set): a user's environment cannot.
 */

/** The lander's steps a test can kill it at. */
export const CrashPoints = [
  "read",
  "merged",
  "hand-back",
  "oracle",
  "push",
  "landed",
  "bisect",
  "culprit",
  "speculated",
] as const;
export type CrashPoint = (typeof CrashPoints)[number];

/** SIGKILLs this process when a test asked for `point`; otherwise does nothing. */
export function crashPoint(point: CrashPoint): void {
  if (process.env.VITEST === undefined) return;
  if (process.env.GITSWARM_TEST_LANDER_KILL !== point) return;
  process.kill(process.pid, "SIGKILL");
}
