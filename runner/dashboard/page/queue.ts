/// <reference lib="dom" />
/** The merge-queue page: the entries waiting, the batch being gated with its oracle steps, the last landings. */
import type { DashboardSnapshot } from "../snapshot-types.js";
import { ago, h } from "./dom.js";

/** Renders the merge queue. */
export function renderQueue(snapshot: DashboardSnapshot): HTMLElement {
  const q = snapshot.queue;
  const taskLink = (id: string) =>
    h("a", { href: `#/tasks/${encodeURIComponent(id)}` }, id);
  return h(
    "div",
    { class: "queue-page" },
    h("h2", {}, "Merge queue"),
    h(
      "p",
      { class: "muted", "data-lander": q.lander?.holder ?? "" },
      q.lander
        ? `Lander: ${q.lander.holder}, since ${ago(q.lander.since)} ago.`
        : "No lander holds the queue now.",
    ),
    h("h3", {}, "Waiting ", h("span", { class: "count" }, q.entries.length)),
    q.entries.length === 0
      ? h(
          "p",
          { class: "muted" },
          "Nothing waits: with queue.enabled on, done work waits here for the lander; off, each task lands by itself.",
        )
      : h(
          "ol",
          { class: "queue-entries" },
          q.entries.map((e) =>
            h(
              "li",
              { "data-queued": e.task },
              taskLink(e.task),
              h(
                "span",
                { class: "muted" },
                ` by ${e.agent}, queued ${ago(e.queuedAt)} ago, work ${e.work.slice(0, 10)}`,
              ),
            ),
          ),
        ),
    h("h3", {}, "Batch being gated"),
    q.batch === null
      ? h("p", { class: "muted" }, "No batch is being gated.")
      : h(
          "div",
          { "data-batch": q.batch.tasks.join(" ") },
          h(
            "p",
            {},
            `${q.batch.tasks.length} task(s), started ${ago(q.batch.startedAt)} ago: `,
            q.batch.tasks.flatMap((id, i) => [i > 0 ? ", " : "", taskLink(id)]),
          ),
          q.batch.steps.length === 0
            ? h("p", { class: "muted" }, "Oracle running on the whole batch…")
            : h(
                "ol",
                { class: "steps" },
                q.batch.steps.map((s) => h("li", {}, s)),
              ),
        ),
    h("h3", {}, "Last landings"),
    q.landings.length === 0
      ? h("p", { class: "muted" }, "Nothing landed through the queue yet.")
      : h(
          "ul",
          { class: "landings" },
          q.landings.map((l) =>
            h(
              "li",
              { "data-landed": l.tasks.join(" ") },
              h("time", { datetime: l.time }, `${ago(l.time)} ago`),
              ": ",
              l.tasks.flatMap((id, i) => [i > 0 ? ", " : "", taskLink(id)]),
              l.commit ? h("code", {}, ` ${l.commit.slice(0, 10)}`) : null,
            ),
          ),
        ),
  );
}
