/// <reference lib="dom" />
/** A task's page: history on its task ref, attempts with reasons, its work branch's diff, its oracle cases. */
import type { TaskDetail } from "../task-detail.js";
import { getJson, h } from "./dom.js";

/** Fetches and renders one task. */
export async function renderTask(id: string): Promise<HTMLElement> {
  let detail: TaskDetail;
  try {
    detail = await getJson<TaskDetail>(`/api/tasks/${encodeURIComponent(id)}`);
  } catch {
    return h("p", { class: "problem" }, `No task '${id}' on the hub.`);
  }
  const list = <T>(items: T[], empty: string, item: (x: T) => Node) =>
    items.length === 0
      ? h("p", { class: "muted" }, empty)
      : h(
          "ol",
          { class: "events" },
          items.map((x) => h("li", {}, item(x))),
        );
  return h(
    "div",
    { class: "task-page" },
    h(
      "h2",
      {},
      detail.id,
      " ",
      h("span", { class: "title" }, detail.title),
      " ",
      h("span", { class: `badge ${detail.status}` }, detail.status),
    ),
    detail.notes.length > 0
      ? h(
          "ul",
          { class: "notes" },
          detail.notes.map((n) => h("li", {}, n)),
        )
      : null,
    h("h3", {}, "Attempts"),
    list(detail.attempts, "No attempt in the latest run.", (a) =>
      h(
        "span",
        {},
        h("time", { datetime: a.time }, a.time.slice(11, 19)),
        ` ${a.agent}: ${a.what}`,
        a.reason ? h("span", { class: "failure" }, ` — ${a.reason}`) : null,
      ),
    ),
    h("h3", {}, "History on the task ref"),
    list(detail.history, "No claim yet.", (e) =>
      h(
        "span",
        {},
        h("code", {}, e.commit.slice(0, 10)),
        ` ${e.time.slice(0, 19).replace("T", " ")} ${e.author}: ${e.subject}`,
      ),
    ),
    h("h3", {}, "Oracle"),
    h(
      "p",
      {},
      detail.oracle.cases.length > 0
        ? `Cases: ${detail.oracle.cases.join(", ")}`
        : "No cases named for this task.",
    ),
    list(detail.oracle.runs, "No oracle run seen in the latest run.", (r) =>
      h(
        "span",
        {},
        `${r.time.slice(11, 19)} ${r.scope}: ${r.passed} passed, ${r.failed} failed`,
      ),
    ),
    h(
      "h3",
      {},
      "Work branch vs main",
      detail.branch ? h("code", {}, ` ${detail.branch}`) : null,
    ),
    detail.diff === null
      ? h(
          "p",
          { class: "muted" },
          detail.branch
            ? "The branch is not on the hub (yet)."
            : "No work branch.",
        )
      : h(
          "div",
          {},
          h("pre", { class: "stat" }, detail.diff.stat || "no changes"),
          h(
            "pre",
            { class: "diff", tabindex: "0", "aria-label": "Diff" },
            detail.diff.patch,
          ),
          detail.diff.truncated
            ? h("p", { class: "muted" }, "Diff cut at 200 000 characters.")
            : null,
        ),
  );
}
