/// <reference lib="dom" />
/** The board: one column per state, a card per task with its holder, attempt, age, cost, needs and last failure. */
import {
  BoardColumns,
  type BoardTask,
  type DashboardSnapshot,
} from "../snapshot-types.js";
import { ago, h, usd } from "./dom.js";

/** What a card's buttons do (app.ts posts the action and shows the answer). */
export type Act = (body: Record<string, string>) => void;

const TITLES: Record<(typeof BoardColumns)[number], string> = {
  open: "Open",
  claimed: "Claimed",
  queue: "In the merge queue",
  done: "Done",
  blocked: "Blocked",
};

/** Renders the board. */
export function renderBoard(
  snapshot: DashboardSnapshot,
  act: Act,
): HTMLElement {
  const columns = BoardColumns.map((column) => {
    const tasks = snapshot.tasks.filter((t) => t.column === column);
    return h(
      "section",
      {
        class: "column",
        "data-column": column,
        "aria-labelledby": `col-${column}`,
      },
      h(
        "h2",
        { id: `col-${column}` },
        TITLES[column],
        " ",
        h("span", { class: "count" }, tasks.length),
      ),
      column === "queue" && tasks.length === 0
        ? h(
            "p",
            { class: "muted" },
            h("a", { href: "#/queue" }, "The merge queue"),
            " is empty.",
          )
        : null,
      h(
        "ul",
        { class: "cards" },
        tasks.map((t) => h("li", {}, card(t, act))),
      ),
    );
  });
  return h(
    "div",
    {},
    h("h2", { class: "sr-only" }, "Board"),
    snapshot.problem
      ? h("p", { class: "problem", role: "alert" }, snapshot.problem)
      : null,
    h("div", { class: "board" }, columns),
  );
}

function card(t: BoardTask, act: Act): HTMLElement {
  const facts = [
    t.holder ? `held by ${t.holder}` : null,
    t.attempt !== null ? `attempt ${t.attempt}` : null,
    t.claimedAt ? `for ${ago(t.claimedAt)}` : null,
    t.lease && t.lease !== "live" ? `lease ${t.lease}` : null,
    t.costUsd > 0 ? usd(t.costUsd) : null,
  ].filter((f): f is string => f !== null);
  return h(
    "article",
    {
      class: `card ${t.column}`,
      "data-task": t.id,
      "data-holder": t.holder ?? "",
    },
    h(
      "h3",
      {},
      h("a", { href: `#/tasks/${encodeURIComponent(t.id)}` }, t.id),
      " ",
      h("span", { class: "title" }, t.title),
    ),
    facts.length > 0 ? h("p", { class: "facts" }, facts.join(" · ")) : null,
    t.needs.length > 0
      ? h(
          "p",
          { class: "needs" },
          h("span", { "aria-hidden": "true" }, "← "),
          "needs ",
          t.needs.flatMap((n, i) => [
            i > 0 ? ", " : "",
            h(
              "a",
              {
                href: `#/tasks/${encodeURIComponent(n)}`,
                class: t.waitingOn.includes(n) ? "waiting" : "met",
              },
              n,
            ),
          ]),
        )
      : null,
    t.approval?.state === "waiting"
      ? h(
          "p",
          { class: "approval" },
          `waits for a human since ${t.approval.since.slice(11, 19)}: ${t.approval.approve} | ${t.approval.reject}`,
        )
      : null,
    t.reviews.length > 0
      ? h(
          "p",
          { class: "reviews" },
          t.reviews.map((r) => `${r.reviewer}: ${r.verdict}`).join(" · "),
        )
      : null,
    t.lastFailure ? h("p", { class: "failure" }, t.lastFailure) : null,
    actions(t, act),
  );
}

function actions(t: BoardTask, act: Act): HTMLElement | null {
  if (t.approval?.state === "waiting") return approvalForm(t, act);
  if (t.column === "blocked")
    return h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          onClick: () => act({ action: "reopen", task: t.id }),
        },
        `Reopen ${t.id}`,
      ),
    );
  if (t.column === "claimed" && t.releasable)
    return h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          onClick: () => act({ action: "release", task: t.id }),
        },
        `Release stale lock`,
      ),
    );
  if (t.column !== "open") return null;
  const input = h("input", {
    type: "text",
    name: "reason",
    required: true,
    "aria-label": `Why block ${t.id}`,
    placeholder: "reason",
  });
  return h(
    "form",
    {
      class: "actions",
      onSubmit: (e: Event) => {
        e.preventDefault();
        act({ action: "block", task: t.id, reason: input.value });
      },
    },
    input,
    h("button", { type: "submit" }, "Block"),
  );
}

/** Approve, or reject with a reason: `gitswarm approve|reject` from the page. */
function approvalForm(t: BoardTask, act: Act): HTMLElement {
  const reason = h("input", {
    type: "text",
    name: "reason",
    required: true,
    "aria-label": `Why reject ${t.id}`,
    placeholder: "reason to reject",
  });
  return h(
    "form",
    {
      class: "actions",
      onSubmit: (e: Event) => {
        e.preventDefault();
        act({ action: "reject", task: t.id, reason: reason.value });
      },
    },
    h(
      "button",
      {
        type: "button",
        onClick: () => act({ action: "approve", task: t.id }),
      },
      `Approve ${t.id}`,
    ),
    reason,
    h("button", { type: "submit" }, "Reject"),
  );
}
