/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard page: a hash router over the board, agents, one agent's log, a task, the merge
 * queue and costs; the snapshot arrives over server-sent events and the page redraws within a
 * frame. Built by esbuild into one script (runner/dashboard/page-assets.ts).
 */
import type { DashboardSnapshot } from "../snapshot-types.js";
import { renderAgent, renderAgents } from "./agents.js";
import { renderBoard } from "./board.js";
import { renderCosts } from "./costs.js";
import { getJson, h, postAction, usd, withToken } from "./dom.js";
import { renderQueue } from "./queue.js";
import { renderTask } from "./task-page.js";

const main = document.getElementById("main") as HTMLElement;
const runLine = document.getElementById("run") as HTMLElement;
const runActions = document.getElementById("run-actions") as HTMLElement;
const toast = document.getElementById("toast") as HTMLElement;
let snapshot: DashboardSnapshot | undefined;
let closeView: (() => void) | undefined;
let shownRoute = "";

async function act(body: Record<string, string>): Promise<void> {
  toast.textContent = "…";
  try {
    const result = await postAction(body);
    toast.textContent = result.message;
    toast.className = `toast ${result.ok ? "ok" : "refused"}`;
  } catch (error) {
    toast.textContent = `failed: ${(error as Error).message}`;
    toast.className = "toast refused";
  }
}

/** Pause or Resume, while a run is live here (the button says what a click does). */
function drawRunActions(s: DashboardSnapshot): void {
  const paused = s.run?.paused === true;
  const wanted = s.can.control ? (paused ? "Resume" : "Pause") : "";
  if (runActions.dataset.shown === wanted) return;
  runActions.dataset.shown = wanted;
  runActions.replaceChildren(
    wanted === ""
      ? ""
      : h(
          "button",
          {
            type: "button",
            "data-action": wanted.toLowerCase(),
            onClick: () => void act({ action: paused ? "resume" : "pause" }),
          },
          `${wanted} the run`,
        ),
  );
}

function route(): string {
  return location.hash.replace(/^#/, "") || "/board";
}

/** Redraws the current page; `live` redraws keep pages with their own streams (a log) as they are. */
async function draw(live: boolean): Promise<void> {
  if (snapshot === undefined) return;
  const now = route();
  if (snapshot.run)
    runLine.textContent = `run ${snapshot.run.id} · ${snapshot.run.paused ? "paused" : snapshot.run.state} · ${snapshot.run.tasksDone} done · ${usd(snapshot.run.costUsd)}`;
  drawRunActions(snapshot);
  const [, page = "board", arg] = now.split("/").map(decodeURIComponent);
  if (
    live &&
    now === shownRoute &&
    (page === "tasks" || (page === "agents" && arg))
  )
    return;
  const focusKey = document.activeElement
    ?.closest("[data-task],[data-agent]")
    ?.getAttribute("data-task");
  const focusText = document.activeElement?.textContent;
  closeView?.();
  closeView = undefined;
  let view: HTMLElement;
  if (page === "agents" && arg) {
    const agent = renderAgent(snapshot, arg, act);
    closeView = agent.close;
    view = agent.el;
  } else if (page === "agents") view = renderAgents(snapshot);
  else if (page === "tasks" && arg) view = await renderTask(arg);
  else if (page === "queue") view = renderQueue(snapshot);
  else if (page === "costs") {
    const costs = renderCosts(snapshot);
    closeView = costs.close;
    view = costs.el;
  } else view = renderBoard(snapshot, act);
  main.replaceChildren(view);
  shownRoute = now;
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav a"))
    link.toggleAttribute(
      "aria-current",
      `#${now}`.startsWith(link.getAttribute("href") ?? "-"),
    );
  // A live redraw keeps the keyboard where it was.
  if (live && focusKey) {
    const again =
      [
        ...main.querySelectorAll<HTMLElement>(
          `[data-task="${CSS.escape(focusKey)}"] a, [data-task="${CSS.escape(focusKey)}"] button, [data-task="${CSS.escape(focusKey)}"] input`,
        ),
      ].find((el) => el.textContent === focusText) ??
      main.querySelector<HTMLElement>(
        `[data-task="${CSS.escape(focusKey)}"] a`,
      );
    again?.focus();
  }
}

window.addEventListener("hashchange", () => {
  void draw(false).then(() => main.focus({ preventScroll: true }));
});

async function start(): Promise<void> {
  snapshot = await getJson<DashboardSnapshot>("/api/state");
  await draw(false);
  const events = new EventSource(withToken("/api/events"));
  events.addEventListener("snapshot", (e) => {
    snapshot = JSON.parse(
      (e as MessageEvent<string>).data,
    ) as DashboardSnapshot;
    void draw(true);
  });
}

void start();
