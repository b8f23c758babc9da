/**
 * The second way the runner stops an agent: SIGTERM stops it keeping its claim (the next run
 * resumes it); RELEASE_STOP_SIGNAL stops it giving its claim back, for a run that cannot go on (its
 * log cannot be written) and must leave nothing held. The agent aborts its work with a
 * `ReleaseStop` reason, and the loop releases instead of keeping.
 */

/** The signal the runner sends for a stop that releases the agent's claim. */
export const RELEASE_STOP_SIGNAL = "SIGUSR2";

/** The abort reason of a releasing stop; `why` goes into the release's reason. */
export class ReleaseStop extends Error {
  constructor(readonly why: string) {
    super(`stopped by the runner, releasing its claim: ${why}`);
  }
}

/** Whether an abort reason asks the agent to release what it holds. */
export function isReleaseStop(reason: unknown): reason is ReleaseStop {
  return reason instanceof ReleaseStop;
}
