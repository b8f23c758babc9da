/**
 * Notifications (issue 22): `notify:` targets in gitswarm.config.yaml, fed from the run's events.
 * Other parts of the runner raise `review-ready` through `raiseReviewReady`.
 */
import type { Notifier } from "./notifier.js";

export { Notifier } from "./notifier.js";

/**
 * Tells the targets that want `review-ready` that `task`'s work waits for a human review; returns
 * at once (delivery happens in the background, retried, never failing the caller).
 */
export function raiseReviewReady(
  notifier: Notifier | undefined,
  review: { task: string; detail: string; runId?: string },
): void {
  void notifier?.send({
    event: "review-ready",
    task: review.task,
    text: `gitswarm: task ${review.task} is ready for review: ${review.detail}`,
    runId: review.runId,
    time: new Date().toISOString(),
  });
}
