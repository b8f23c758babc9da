/// <reference lib="dom" />
/** The agents page (state, task, last tool call, tokens, $) and one agent's live log tail. */
import type { DashboardSnapshot } from "../snapshot-types.js";
import type { Act } from "./board.js";
import { h, usd, withToken } from "./dom.js";

/** Renders the table of agents. */
export function renderAgents(snapshot: DashboardSnapshot): HTMLElement {
  if (snapshot.agents.length === 0)
    return h(
      "p",
      { class: "muted" },
      "No run on this machine yet: agents show here once 'gitswarm run' starts.",
    );
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("caption", {}, "Agents of the latest run"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          [
            "Agent",
            "Kind",
            "State",
            "Task",
            "Last tool call",
            "Tokens",
            "Cost",
            "Done",
          ].map((c) => h("th", { scope: "col" }, c)),
        ),
      ),
      h(
        "tbody",
        {},
        snapshot.agents.map((a) =>
          h(
            "tr",
            { "data-agent": a.name },
            h(
              "th",
              { scope: "row" },
              h(
                "a",
                { href: `#/agents/${encodeURIComponent(a.name)}` },
                a.name,
              ),
            ),
            h("td", {}, a.kind),
            h("td", {}, a.state),
            h(
              "td",
              {},
              a.task
                ? h(
                    "a",
                    { href: `#/tasks/${encodeURIComponent(a.task)}` },
                    a.task,
                  )
                : "",
            ),
            h("td", {}, a.lastTool ?? ""),
            h("td", { class: "num" }, a.tokens.toLocaleString("en")),
            h("td", { class: "num" }, usd(a.costUsd)),
            h("td", { class: "num" }, a.tasksDone),
          ),
        ),
      ),
    ),
  );
}

/** Renders one agent's page; its log tail keeps streaming until `close()` (on leaving the page). */
export function renderAgent(
  snapshot: DashboardSnapshot,
  name: string,
  act: Act,
): { el: HTMLElement; close: () => void } {
  const agent = snapshot.agents.find((a) => a.name === name);
  const log = h("pre", {
    class: "log",
    "data-log": name,
    tabindex: "0",
    "aria-label": `Log of ${name}`,
  });
  const source = new EventSource(
    withToken(`/api/agents/${encodeURIComponent(name)}/log`),
  );
  source.addEventListener("lines", (e) => {
    const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
    for (const line of JSON.parse((e as MessageEvent<string>).data) as string[])
      log.append(h("span", { class: "line" }, line), "\n");
    while (log.childNodes.length > 4000) log.firstChild?.remove();
    if (stick) log.scrollTop = log.scrollHeight;
  });
  const controls = snapshot.can.control
    ? h(
        "div",
        { class: "actions" },
        h(
          "button",
          {
            type: "button",
            onClick: () => act({ action: "stop-agent", agent: name }),
          },
          `Stop ${name}`,
        ),
        h(
          "button",
          {
            type: "button",
            onClick: () => act({ action: "restart-agent", agent: name }),
          },
          `Restart ${name}`,
        ),
      )
    : h(
        "p",
        { class: "muted" },
        "Stop and restart need a run that is live in this checkout ('gitswarm run').",
      );
  const el = h(
    "div",
    {},
    h(
      "h2",
      {},
      name,
      agent
        ? h(
            "span",
            { class: "muted" },
            ` ${agent.kind} · ${agent.state}${agent.task ? ` · ${agent.task}` : ""}`,
          )
        : null,
    ),
    controls,
    h("h3", {}, "Log (live)"),
    log,
  );
  return { el, close: () => source.close() };
}
