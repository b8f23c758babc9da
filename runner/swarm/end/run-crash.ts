/**
 * A run that dies with an exception writes no `run-end` event, so the notifier has nothing to turn
 * into run-failed: the notification is sent here instead, with the error's message as the reason.
 */
import type { Notifier } from "../../notify/notifier.js";
import { runCrashNotification } from "../../notify/notify-event.js";

/** Sends run-failed with `error`'s message and waits for it (bounded, see Notifier.flush). */
export async function notifyRunCrash(
  notifier: Notifier,
  runId: string,
  error: unknown,
): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  void notifier.send(
    runCrashNotification(runId, reason, new Date().toISOString()),
  );
  await notifier.flush();
}
