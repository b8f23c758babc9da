/** The notifier of one `gitswarm run`: fed from its event log, its target URLs redacted there. */
import type { EventLog } from "../../coordination/base/events.js";
import type { SwarmConfig } from "../config.js";
import { Notifier } from "./notifier.js";
import { raiseReviewReady } from "./index.js";

/** Starts notifying `config.notify`'s targets of the run's events; failures become error events. */
export function startRunNotifier(
  log: EventLog,
  config: SwarmConfig,
  repoDir: string,
  runId: string,
  options: { budgetUsd?: number },
): Notifier {
  const notifier = new Notifier({
    targets: config.notify,
    env: process.env,
    cwd: repoDir,
    runId,
    budgetUsd: options.budgetUsd,
    onProblem: (message) => void log.emit({ type: "error", message }),
  });
  log.redactAlso(notifier.urls());
  log.onEvent((event) => notifier.onEvent(event));
  // The human gate (runner/gates/human-gate.ts): work waits for 'gitswarm approve'.
  log.onEvent((event) => {
    if (event.type === "approval" && event.state === "waiting")
      raiseReviewReady(notifier, {
        task: event.task,
        detail: `${event.agent}'s work (${event.detail ?? "passed its gates"}); gitswarm approve ${event.task} or gitswarm reject ${event.task} --reason …`,
        runId,
      });
  });
  return notifier;
}
