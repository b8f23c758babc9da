/**
 * A notification shaped for its target: the JSON a generic webhook gets, Slack's `{text}`,
 * Discord's `{content}`, ntfy's plain body with a Title header, a command's stdin and environment.
 * Pure; every text is redacted first, so no secret (an API key, a webhook URL) is ever sent.
 */
import { redact, type Secret } from "../../coordination/base/secret-env.js";
import type { NotifyTarget } from "./config.js";
import type { NotifyEvent } from "./notify-event.js";

/** An HTTP request to make, or a command to run. */
export type Delivery =
  | { via: "http"; headers: Record<string, string>; body: string }
  | { via: "command"; stdin: string; env: Record<string, string> };

/** Shapes `event` for `target`, with every secret in `secrets` redacted from what is sent. */
export function shapeNotification(
  target: Pick<NotifyTarget, "kind">,
  event: NotifyEvent,
  secrets: readonly (string | Secret)[],
): Delivery {
  const safe: NotifyEvent = JSON.parse(
    redact(JSON.stringify(event), secrets),
  ) as NotifyEvent;
  const json = { "content-type": "application/json" };
  switch (target.kind) {
    case "slack":
      return {
        via: "http",
        headers: json,
        body: JSON.stringify({ text: safe.text }),
      };
    case "discord":
      return {
        via: "http",
        headers: json,
        body: JSON.stringify({ content: safe.text }),
      };
    case "ntfy":
      return {
        via: "http",
        headers: {
          "content-type": "text/plain; charset=utf-8",
          title: `gitswarm ${safe.event}`,
          tags:
            safe.event === "task-done" || safe.event === "run-finished"
              ? "white_check_mark"
              : "warning",
        },
        body: safe.text,
      };
    case "command":
      return {
        via: "command",
        stdin: `${JSON.stringify(safe)}\n`,
        env: {
          GITSWARM_NOTIFY_EVENT: safe.event,
          GITSWARM_NOTIFY_TEXT: safe.text,
          ...(safe.task === undefined
            ? {}
            : { GITSWARM_NOTIFY_TASK: safe.task }),
        },
      };
    default:
      return { via: "http", headers: json, body: JSON.stringify(safe) };
  }
}
